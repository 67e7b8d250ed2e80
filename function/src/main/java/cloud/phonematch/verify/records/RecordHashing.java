package cloud.phonematch.verify.records;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 of what identifies a record, so the store never holds a caller's value. A plain hash would not do:
 * an 11-digit mobile number (and a name from a list of common names) can be enumerated in minutes, while an HMAC
 * cannot be recomputed without the hash key.
 * <p>
 * Each kind of value is hashed under its own label, so an idempotency key can never collide with a person's
 * fingerprint.
 */
public final class RecordHashing {
    private static final String ALGORITHM = "HmacSHA256";

    /** Initialized once; each HMAC works on a clone (a Mac is not thread-safe, and a clone skips the provider look-up). */
    private final Mac prototype;

    /** @param hashKey the HMAC key; at least 16 bytes ({@link HashKeys} sees to it) */
    public RecordHashing(byte[] hashKey) {
        try {
            prototype = Mac.getInstance(ALGORITHM);
            prototype.init(new SecretKeySpec(hashKey, ALGORITHM));
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is in every JDK; a failure here is a broken runtime, reported without the key.
            throw new IllegalStateException("HMAC-SHA256 is not available", null);
        }
    }

    /**
     * The record key of an idempotency key, within the caller's scope: the same key sent by two callers is two
     * records, so that one caller's key can neither replay nor probe another's.
     *
     * @param callerScope who sent it, as the event names an authenticated caller; null when it names none
     */
    public String idempotencyKey(String callerScope, String idempotencyKey) {
        return callerScope == null ? hmac("idempotency-key\n" + idempotencyKey)
                : hmac("idempotency-key\n" + callerScope + "\n" + idempotencyKey);
    }

    /** The record key of a caller's spend: a source address is the caller's personal data, kept only as an HMAC. */
    public String caller(String callerId) {
        return hmac("caller\n" + callerId);
    }

    /** The fingerprint of a person: the normalized name and number, as the API would receive them. */
    public String person(String name, String mobile) {
        return hmac("person\n" + name + "\n" + mobile);
    }

    /**
     * The fingerprint of a request: every field that changes its answer or whether the API is called — the person,
     * and whether a new paid check was asked for ({@code fresh}). A request that takes a kept answer has the person's
     * fingerprint itself.
     */
    public String request(String name, String mobile, boolean fresh) {
        return fresh ? hmac("person\n" + name + "\n" + mobile + "\nfresh") : person(name, mobile);
    }

    private String hmac(String value) {
        try {
            Mac mac = (Mac) prototype.clone();
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (CloneNotSupportedException e) {
            // The JDK's HmacSHA256 can be cloned; a provider whose Mac cannot is not one this function ships with.
            throw new IllegalStateException("HMAC-SHA256 cannot be cloned", null);
        }
    }

    @Override
    public String toString() {
        return "RecordHashing[HMAC-SHA256, key <redacted>]";
    }
}
