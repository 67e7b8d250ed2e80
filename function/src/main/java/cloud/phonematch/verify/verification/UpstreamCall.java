package cloud.phonematch.verify.verification;

/**
 * One request to the API: normalized name and number, the token (null for the sandbox), the correlation id.
 * Masks itself in {@link #toString()}.
 */
public record UpstreamCall(String name, String mobile, ApiToken token, String correlationId) {

    public UpstreamCall withToken(ApiToken newToken) {
        return new UpstreamCall(name, mobile, newToken, correlationId);
    }

    @Override
    public String toString() {
        return "UpstreamCall[name=<redacted>, mobile=<redacted>, token=" + token + ", correlationId="
                + correlationId + "]";
    }
}
