package cloud.phonematch.verify.records;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.verification.ApiToken;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.FailureException;
import cloud.phonematch.verify.verification.TokenSource;

/**
 * Where the records' HMAC key comes from. Nothing is drawn or read during init, so a SnapStart snapshot holds no
 * key and every restored container draws its own where it should (and a key of this container's own drawn before a
 * snapshot all the same is drawn anew after the restore).
 */
public interface HashKeys {

    /**
     * The hashing under the current key. May read the token secret, bounded by {@code deadline}.
     *
     * @throws FailureException {@code CONFIGURATION} when the secret has no usable hash key, or the token source's
     *     own failure ({@code SECRETS_UNAVAILABLE})
     */
    RecordHashing current(Deadline deadline);

    /**
     * A key of this container's own, drawn on first use: right for records that live in this container's memory
     * only, which no other container needs to recognize.
     */
    static HashKeys perContainer() {
        return new ContainerHashKeys();
    }

    /**
     * The hash key the token secret holds, shared by every container that reads the same table. Its UTF-8 bytes
     * are the HMAC key; at least 32 characters (e.g. {@code openssl rand -base64 32}). A token rotation must keep
     * it: a new hash key makes every record unrecognizable (forgotten), replays and refusals included.
     */
    static HashKeys fromSecret(TokenSource tokens, String field) {
        return new HashKeys() {
            private byte[] lastKey;
            private RecordHashing hashing;

            @Override
            public synchronized RecordHashing current(Deadline deadline) {
                ApiToken token = tokens.current(deadline);
                byte[] key = token.hashKey().map(k -> k.getBytes(StandardCharsets.UTF_8))
                        .filter(k -> k.length >= MIN_SECRET_KEY_CHARS)
                        .orElseThrow(() -> new FailureException(Failure.of(ErrorType.CONFIGURATION,
                                "the token secret has no '" + field + "' field of at least " + MIN_SECRET_KEY_CHARS
                                        + " characters, which the records table needs")));
                if (hashing == null || !Arrays.equals(key, lastKey)) {
                    hashing = new RecordHashing(key);
                    lastKey = key;
                }
                return hashing;
            }
        };
    }

    /** The shortest hash key taken from the secret: 32 characters of base64 carry 192 bits. */
    int MIN_SECRET_KEY_CHARS = 32;
}
