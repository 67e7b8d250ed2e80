package cloud.phonematch.verify.handler;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.verification.Caller;

/**
 * The caller an API Gateway event names ({@link Caller}): the authenticated principal when API Gateway authorized the
 * request, which also scopes its idempotency keys (the same key from two callers is two keys, so one caller's key can
 * neither replay nor probe another's), else the source address API Gateway saw. Only what API Gateway itself put in
 * the event is read, never a header the caller sets.
 * <p>
 * The scope must stay the same for every retry of one caller, or a retry would not find its key and would pay again:
 * an assumed role is scoped by the role, not by the session (a caller's tasks and containers each have sessions of
 * their own); a JWT by its issuer and subject.
 */
final class CallerIdentities {
    /** {@code arn:<partition>:sts::<account>:assumed-role/<role>/<session>}: the session is left out. */
    private static final Pattern ASSUMED_ROLE = Pattern.compile("^(arn:[^:]+:sts::[0-9]+:assumed-role/[^/]+)/.*$");

    private CallerIdentities() {
    }

    /** HTTP API (payload 2.0): {@code requestContext.authorizer.iam} or {@code .jwt}, else {@code http.sourceIp}. */
    static Caller fromV2(JsonNode requestContext) {
        JsonNode authorizer = requestContext.path("authorizer");
        String iam = iam(authorizer.path("iam").path("userArn"));
        String scope = iam != null ? iam : jwt(authorizer.path("jwt").path("claims"));
        return scope != null ? Caller.authenticated(scope)
                : Caller.fromAddress(requestContext.path("http").path("sourceIp").asText(null));
    }

    /**
     * REST API (payload 1.0): {@code requestContext.identity.userArn} under IAM authorization, the claims of a Cognito
     * authorizer, or a Lambda authorizer's {@code principalId}; else {@code identity.sourceIp}.
     */
    static Caller fromV1(JsonNode requestContext) {
        String scope = scopeV1(requestContext);
        return scope != null ? Caller.authenticated(scope)
                : Caller.fromAddress(requestContext.path("identity").path("sourceIp").asText(null));
    }

    private static String scopeV1(JsonNode requestContext) {
        JsonNode authorizer = requestContext.path("authorizer");
        String iam = iam(requestContext.path("identity").path("userArn"));
        if (iam != null) {
            return iam;
        }
        String jwt = jwt(authorizer.path("claims"));
        if (jwt != null) {
            return jwt;
        }
        JsonNode principal = authorizer.path("principalId");
        return principal.isTextual() && !principal.asText().isBlank() ? "principal:" + principal.asText() : null;
    }

    private static String iam(JsonNode userArn) {
        if (!userArn.isTextual() || userArn.asText().isBlank()) {
            return null;
        }
        Matcher role = ASSUMED_ROLE.matcher(userArn.asText());
        return "iam:" + (role.matches() ? role.group(1) : userArn.asText());
    }

    private static String jwt(JsonNode claims) {
        JsonNode subject = claims.path("sub");
        if (!subject.isTextual() || subject.asText().isBlank()) {
            return null;
        }
        return "jwt:" + claims.path("iss").asText("") + "|" + subject.asText();
    }
}
