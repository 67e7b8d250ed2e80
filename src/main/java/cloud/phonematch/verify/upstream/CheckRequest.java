package cloud.phonematch.verify.upstream;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The API's request body: the normalized name and number. Masks itself in {@link #toString()}. */
@RegisterForReflection
public record CheckRequest(String name, String mobile) {

    @Override
    public String toString() {
        return "CheckRequest[<redacted>]";
    }
}
