package cloud.phonematch.verify.aws;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** The error code of an AWS JSON reply, read as the SDK reads it, and whether it is worth another try. */
public final class AwsErrorCode {
    /**
     * Codes for "too many requests" besides those with "Throttling" in their name: refused before any work, so
     * repeating is safe.
     */
    private static final Set<String> THROTTLING = Set.of("TooManyRequestsException",
            "ProvisionedThroughputExceededException", "RequestLimitExceeded");

    private AwsErrorCode() {
    }

    /**
     * The code of an error reply: the {@code x-amzn-ErrorType} header, else the body's {@code __type}, without a
     * namespace prefix ({@code ...#Code}) or a suffix ({@code Code:http://...}); {@code unknown} when neither says.
     * Letters, digits and dots only and capped, since it ends up in log lines and exception messages; never the
     * service's message, which may quote the request.
     */
    public static String of(String header, JsonNode body) {
        String raw = header;
        if ((raw == null || raw.isBlank()) && body != null && body.hasNonNull("__type")) {
            raw = body.get("__type").asText();
        }
        if (raw == null || raw.isBlank()) {
            return "unknown";
        }
        String code = raw.substring(raw.lastIndexOf('#') + 1);
        int colon = code.indexOf(':');
        code = (colon >= 0 ? code.substring(0, colon) : code).strip();
        code = code.replaceAll("[^A-Za-z0-9.]", "");
        return code.isEmpty() ? "unknown" : code.substring(0, Math.min(64, code.length()));
    }

    /** A 5xx or a throttling refusal: the service is busy, another try may succeed. */
    public static boolean busy(int status, String code) {
        return status >= 500 || THROTTLING.contains(code) || code.contains("Throttling");
    }
}
