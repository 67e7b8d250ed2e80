package cloud.phonematch.verify.priming;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The part of a live invocation's request path that calls one service, rehearsed by the package that calls it: its
 * clients set up as the function's own are (region, endpoint resolution, signing, fault tolerance), then pointed at
 * {@link Priming}'s loopback server, which plays the service with the success reply this rehearsal gives it.
 * <p>
 * Placeholders only ({@link Placeholders}); none of the function's own clients built or state touched; nothing logged.
 */
public interface ServiceRehearsal {

    /** The service this part calls, as the loopback server plays it. */
    PlayedService played();

    /** Library classes the first real call needs: loaded and initialized at init, without being used. */
    List<String> firstCallClasses();

    /**
     * Sets up clients as the function's own, sending to {@code loopback}; each {@link Run#round()} then runs this part
     * of the path once. Whoever opens a run closes it, which closes its clients and their connections.
     *
     * @param timeout the longest any one call may take
     */
    Run open(URI loopback, Duration timeout);

    /** A rehearsal's clients, open. */
    interface Run extends AutoCloseable {
        void round();

        @Override
        void close();
    }
}
