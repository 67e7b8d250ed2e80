package cloud.phonematch.verify.verification;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * An exception and its causes, outermost first, each once: clients wrap the socket's exception in their own, and a
 * chain that loops back on itself (which {@link Throwable#initCause} only forbids for one link) ends where it would
 * repeat. Only the exceptions' types are meant to be judged from it, never their messages.
 */
public final class CauseChain {
    private CauseChain() {
    }

    public static List<Throwable> of(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
