package cloud.phonematch.verify.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.support.MutableClock;
import cloud.phonematch.verify.verification.ApiToken;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.FailureException;
import cloud.phonematch.verify.verification.TokenSource;
import cloud.phonematch.verify.verification.RenewableAfterRestore;
import cloud.phonematch.verify.verification.VerificationRecords.Claim;
import cloud.phonematch.verify.verification.VerificationRecords.KeyedRequest;

/** The records' HMAC key: the container's own, or the token secret's, shared by every container of a table. */
class HashKeysTest {
    private static final String KEY_A = "c2VjcmV0LWhhc2gta2V5LW9mLWF0LWxlYXN0LTMyLWNoYXJz";
    private static final String KEY_B = "YW5vdGhlci1oYXNoLWtleS1vZi1hdC1sZWFzdC0zMi1jaGFycw";

    /** The token source of one container: whatever the secret holds now. */
    private static final class Secret implements TokenSource {
        ApiToken holds;

        Secret(String token, String hashKey) {
            holds = new ApiToken(token, null, hashKey);
        }

        @Override
        public ApiToken current(Deadline deadline) {
            return holds;
        }

        @Override
        public Optional<ApiToken> refreshAfterRejection(ApiToken rejected, Deadline deadline) {
            return Optional.empty();
        }
    }

    private static Deadline deadline() {
        return RecordsTesting.tenSeconds();
    }

    @Test
    void containersReadingTheSameSecretHashAlike() {
        RecordHashing one = HashKeys.fromSecret(new Secret("t", KEY_A), "hash_key").current(deadline());
        RecordHashing two = HashKeys.fromSecret(new Secret("t", KEY_A), "hash_key").current(deadline());

        assertEquals(one.idempotencyKey(null, "k"), two.idempotencyKey(null, "k"));
        assertEquals(one.person("张三丰", "13912345670"), two.person("张三丰", "13912345670"));
        assertNotEquals(one.idempotencyKey(null, "k"), one.person("k", ""), "each kind of value under its own label");
        assertNotEquals(one.idempotencyKey(null, "k"), one.idempotencyKey("jwt:issuer|sub", "k"),
                "a caller's key is its own");
        assertEquals(one.person("张三丰", "13912345670"), one.request("张三丰", "13912345670", false),
                "a request that takes a kept answer is fingerprinted by the person alone");
        assertNotEquals(one.request("张三丰", "13912345670", false), one.request("张三丰", "13912345670", true));
    }

    @Test
    void aRotationThatKeepsTheHashKeyKeepsTheRecordsAndOneThatChangesItForgetsThem() {
        InMemoryRecordStore store = new InMemoryRecordStore();
        Secret secret = new Secret("token-1", KEY_A);
        StoredVerificationRecords records = RecordsTesting.records(store, HashKeys.fromSecret(secret, "hash_key"),
                new MutableClock(), false);
        KeyedRequest request = RecordsTesting.keyed("order-1", "张三丰", "13912345670");
        records.claim(request, deadline());

        secret.holds = new ApiToken("token-2", null, KEY_A);
        assertEquals(ErrorType.IN_PROGRESS,
                assertInstanceOf(Claim.Refused.class, records.claim(request, deadline())).failure().type());

        secret.holds = new ApiToken("token-2", null, KEY_B);
        assertInstanceOf(Claim.Granted.class, records.claim(request, deadline()), "a new hash key forgets the record");
    }

    @Test
    void aSecretWithoutAUsableHashKeyIsConfiguration() {
        for (String missing : new String[] { null, "too-short" }) {
            FailureException e = assertThrows(FailureException.class,
                    () -> HashKeys.fromSecret(new Secret("t", missing), "hash_key").current(deadline()));
            assertEquals(ErrorType.CONFIGURATION, e.failure().type());
            assertEquals(false, e.getMessage().contains("too-short"), "the value is never quoted");
        }
        StoredVerificationRecords records = RecordsTesting.records(new InMemoryRecordStore(),
                HashKeys.fromSecret(new Secret("t", null), "hash_key"), new MutableClock(), false);
        assertEquals(ErrorType.CONFIGURATION, assertInstanceOf(Claim.Refused.class,
                records.claim(RecordsTesting.keyed("k", "n", "m"), deadline())).failure().type());
    }

    @Test
    void aContainersOwnKeyIsDrawnAgainAfterARestore() {
        HashKeys keys = HashKeys.perContainer();
        String before = keys.current(deadline()).person("张三丰", "13912345670");
        assertEquals(before, keys.current(deadline()).person("张三丰", "13912345670"), "one key for the container");

        ((RenewableAfterRestore) keys).renewAfterRestore();

        assertNotEquals(before, keys.current(deadline()).person("张三丰", "13912345670"),
                "a key copied from the snapshot is not used after the restore");
    }
}
