package cloud.phonematch.verify.priming;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The values the priming sends and signs with: nobody's name, number, token or credentials. */
final class Placeholders {
    /** A name and a number of a valid mainland mobile's shape, which pass the pre-check's rules. */
    static final String NAME = "测试";
    static final String MOBILE = "13800000000";
    /** Secret id, correlation id, idempotency key, table name. */
    static final String ID = "priming";
    /** The records' HMAC key. */
    static final byte[] HASH_KEY = new byte[32];

    private Placeholders() {
    }

    /**
     * Session credentials, as Lambda gives a function (the session token is signed too). Made when asked for: Quarkus
     * initializes every application class during init, and only a rehearsal needs these.
     */
    static AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(
                AwsSessionCredentials.create("PRIMINGPLACEHOLDER", "priming-placeholder", "priming-placeholder"));
    }
}
