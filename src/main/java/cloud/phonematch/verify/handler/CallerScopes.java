package cloud.phonematch.verify.handler;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The authenticated caller an API Gateway event names, as the scope of its idempotency keys: the same key from two
 * callers is two keys, so one caller's key can neither replay nor probe another's. Only what API Gateway itself put in
 * the event after authorizing the request is read (never a header the caller sets); an event that names no caller (no
 * authorizer) has no scope.
 * <p>
 * The scope must stay the same for every retry of one caller, or a retry would not find its key and would pay again:
 * an assumed role is scoped by the role, not by the session (a caller's tasks and containers each have sessions of
 * their own); a JWT by its issuer and subject.
 */
final class CallerScopes {
    /** {@code arn:<partition>:sts::<account>:assumed-role/<role>/<session>}: the session is left out. */
    private static final Pattern ASSUMED_ROLE = Pattern.compile("^(arn:[^:]+:sts::[0-9]+:assumed-role/[^/]+)/.*$");

    private CallerScopes() {
    }

    /** HTTP API (payload 2.0): {@code requestContext.authorizer.iam} or {@code .jwt}. */
    static String fromV2(JsonNode requestContext) {
        JsonNode authorizer = requestContext.path("authorizer");
        String iam = iam(authorizer.path("iam").path("userArn"));
        return iam != null ? iam : jwt(authorizer.path("jwt").path("claims"));
    }

    /**
     * REST API (payload 1.0): {@code requestContext.identity.userArn} under IAM authorization, the claims of a Cognito
     * authorizer, or a Lambda authorizer's {@code principalId}.
     */
    static String fromV1(JsonNode requestContext) {
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
