package cloud.phonematch.verify.priming;

import java.util.function.BiPredicate;

/**
 * A service as the loopback server plays it for a rehearsal: which requests are for it, told apart as the services
 * themselves are (by path, or by {@code X-Amz-Target}), and its reply to a request that succeeded.
 *
 * @param name the service's name, as the rehearsal's counts ({@link Rehearsed#answered()}) name it
 * @param isFor whether a request, by its path and its {@code X-Amz-Target} (null when it has none), is for it
 * @param contentType the content type of its replies
 * @param successReply its reply, with placeholders only
 */
public record PlayedService(String name, BiPredicate<String, String> isFor, String contentType, String successReply) {

    /** A service that answers on one path (a REST API). */
    public static PlayedService atPath(String name, String path, String contentType, String successReply) {
        return new PlayedService(name, (requestPath, target) -> path.equals(requestPath), contentType, successReply);
    }
}
