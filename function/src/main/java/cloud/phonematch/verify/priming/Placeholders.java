package cloud.phonematch.verify.priming;

import java.time.Duration;

import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.TimeSource;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The values the rehearsals send and sign with: nobody's name, number, token, key or credentials. */
public final class Placeholders {
    /** A name and a number of a valid mainland mobile's shape, which pass the pre-check's rules. */
    public static final String NAME = "测试";
    public static final String MOBILE = "13800000000";
    /** Secret id, correlation id, idempotency key, table name. */
    public static final String ID = "priming";
    /** The API token the played Secrets Manager holds and the played API accepts. */
    public static final String TOKEN = "priming-placeholder-token";

    private Placeholders() {
    }

    /** The records' HMAC key: zeros, a new array each time (an array cannot be shared read-only). */
    public static byte[] hashKey() {
        return new byte[32];
    }

    /** The deadline of one round of a rehearsal: five times the longest a step may take, no reserves. */
    public static Deadline deadline(Duration stepTimeout) {
        return Deadline.of(TimeSource.SYSTEM, TimeSource.SYSTEM.nanoTime(), 5 * stepTimeout.toMillis(), Duration.ZERO,
                Duration.ZERO);
    }

    /**
     * Session credentials, as Lambda gives a function (the session token is signed too). Made when asked for: Quarkus
     * initializes every application class during init, and only a rehearsal needs these.
     */
    public static AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(
                AwsSessionCredentials.create("PRIMINGPLACEHOLDER", "priming-placeholder", "priming-placeholder"));
    }
}
