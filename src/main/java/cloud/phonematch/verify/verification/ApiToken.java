package cloud.phonematch.verify.verification;

import java.util.Objects;

/** The API's bearer token. Never printed: {@link #toString()} shows only that it is there. */
public final class ApiToken {
    private final String value;

    public ApiToken(String value) {
        this.value = Objects.requireNonNull(value);
    }

    public String authorizationHeader() {
        return "Bearer " + value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiToken other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "ApiToken[<redacted>]";
    }
}
