package cloud.phonematch.verify.localgateway;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Lookups in a header list, where names are matched in any case, as HTTP requires. */
final class Headers {
    private Headers() {
    }

    /** The first value of the header called {@code name}, if any. */
    static Optional<String> first(List<Map.Entry<String, String>> headers, String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst();
    }
}
