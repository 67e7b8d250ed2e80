package cloud.phonematch.verify.priming;

import java.util.List;

/**
 * The parts of a live invocation's request path this process has, in the order an invocation runs them: chosen by the
 * composition root, which knows which services it wired (none with the sandbox).
 */
public record RequestPathParts(List<ServiceRehearsal> parts) {
    public RequestPathParts {
        parts = List.copyOf(parts);
    }
}
