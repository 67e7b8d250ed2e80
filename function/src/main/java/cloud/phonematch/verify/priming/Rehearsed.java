package cloud.phonematch.verify.priming;

import java.util.Map;

/**
 * What the loopback server answered during a rehearsal of the request path, and how the rehearsal left it.
 *
 * @param answered requests answered per service ({@link ServiceRehearsal#service()})
 * @param unknown requests for no service the server plays (answered 404)
 * @param stopped whether the server had stopped when the rehearsal returned (its close succeeded)
 * @param leftOpen connections the rehearsal's clients had not closed when it was done (closed by the server)
 */
public record Rehearsed(Map<String, Integer> answered, int unknown, boolean stopped, int leftOpen) {
    public Rehearsed {
        answered = Map.copyOf(answered);
    }

    /** The requests answered for {@code service}; 0 for one that was not rehearsed. */
    public int answered(String service) {
        return answered.getOrDefault(service, 0);
    }
}
