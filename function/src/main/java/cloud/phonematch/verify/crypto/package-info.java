/**
 * The optional {@code encryption} envelope of the verification API: name and mobile travel as
 * ciphertexts under a fresh per-request symmetric key, and the key travels wrapped with the API
 * provider's public key.
 *
 * <p>The envelope is the one Tencent Cloud publishes for its identity APIs (敏感数据加密指引), which
 * the API relays. Two suites:
 * <ul>
 *   <li>{@link cloud.phonematch.verify.crypto.Algorithm#AES_256_CBC}: each field AES-256-CBC with
 *       PKCS#7 padding; the key wrapped with the provider's RSA key, PKCS#1 v1.5. JDK only.</li>
 *   <li>{@link cloud.phonematch.verify.crypto.Algorithm#SM4_GCM}: each field SM4-GCM with a 16-byte
 *       tag, sent apart from the ciphertext in {@code tag_list}; the key wrapped with the provider's
 *       SM2 key, ciphertext layout {@code 04 || C1.x || C1.y || C3 || C2}. Bouncy Castle's
 *       lightweight API, with no JCA provider registered.</li>
 * </ul>
 *
 * <p>Entry point: {@link cloud.phonematch.verify.crypto.FieldEncryptor}, built once from the
 * configured {@link cloud.phonematch.verify.crypto.Algorithm},
 * {@link cloud.phonematch.verify.crypto.ProviderPublicKey} and
 * {@link cloud.phonematch.verify.crypto.EnvelopeShape}; its {@code encrypt} is called once per
 * request and is thread-safe.
 *
 * <p>Rules for the whole package: nothing logs; no key, IV, plaintext or ciphertext appears in an
 * exception message or {@code toString()}; keys and IVs come from the {@link java.security.SecureRandom}
 * the caller supplies, fresh for every request, and every temporary byte array that held a key or a
 * plaintext is zeroed after use (copies made inside the JDK's and Bouncy Castle's cipher objects
 * cannot be reached and die with those objects); nothing secret is created in a static initializer,
 * so a SnapStart snapshot or a native image heap never holds one.
 */
package cloud.phonematch.verify.crypto;
