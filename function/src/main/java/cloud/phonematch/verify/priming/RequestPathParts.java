package cloud.phonematch.verify.priming;

import java.util.List;

/**
 * The parts of a live invocation's request path this process has, in the order an invocation runs them, and the
 * function's own clients they call through: chosen by the composition root, which knows which services it wired (none
 * with the sandbox).
 */
public record RequestPathParts(List<ServiceRehearsal> parts, List<FunctionClient> clients) {
    public RequestPathParts {
        parts = List.copyOf(parts);
        clients = List.copyOf(clients);
    }
}
