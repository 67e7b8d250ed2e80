package cloud.phonematch.verify.secrets;

import static cloud.phonematch.verify.support.TestPeople.TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import cloud.phonematch.verify.verification.ApiToken;

/** What a secret may hold as the token, read before anything is sent with it. */
class TokenSecretFormatTest {

    private static Optional<ApiToken> parse(String secret) {
        return TokenSecretFormat.parse(secret, "token", "hash_key");
    }

    @ParameterizedTest
    @ValueSource(strings = { "tok-live-1", "abc.DEF_123~+/", "dG9rZW4=", "dG9r==", "a", "  tok-live-1\n" })
    void aBearerTokenIsAcceptedAsTheWholeSecret(String secret) {
        assertEquals("Bearer " + secret.strip(), parse(secret).orElseThrow().authorizationHeader());
    }

    @Test
    void aBearerTokenIsAcceptedFromTheJsonFieldWithTheOtherFields() {
        ApiToken token = parse("{\"token\":\" " + TOKEN + " \",\"public_key\":\"pk\",\"hash_key\":\"hk\"}")
                .orElseThrow();
        assertEquals("Bearer " + TOKEN, token.authorizationHeader());
        assertEquals(Optional.of("pk"), token.encryptionPublicKey());
        assertEquals(Optional.of("hk"), token.hashKey());
    }

    @ParameterizedTest
    @ValueSource(strings = { "tok-live-1\r\nX-Injected: 1", "tok\nlive", "tok live", "tok\tlive", "[\"tok-live-1\"]",
            "\"tok-live-1\"", "tok=live", "=tok", "tok-live-1\u0000", "tök", "tok,live" })
    void aSecretWhoseTokenCannotBeABearerTokenIsRefusedWithoutQuotingIt(String secret) {
        var refused = assertThrows(TokenSecretFormat.UnusableTokenSecret.class, () -> parse(secret));
        assertTrue(refused.getMessage().startsWith("the token in the secret has characters a bearer token cannot hold"),
                refused.getMessage());
        assertFalse(refused.getMessage().contains(secret.strip()), "never the value");
        assertEquals(0, refused.getStackTrace().length, "a settings problem, not a bug: no stack trace");
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"token\":\"tok\\r\\nlive\"}", "{\"token\":\"tok live\"}", "{\"token\":\"tok\\tlive\"}",
            "{\"token\":\"[\\\"tok-live-1\\\"]\"}" })
    void aJsonFieldWithCharactersABearerTokenCannotHoldIsRefused(String secret) {
        var refused = assertThrows(TokenSecretFormat.UnusableTokenSecret.class, () -> parse(secret));
        assertTrue(refused.getMessage().startsWith("the token in the secret has characters"), refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"token\":[\"tok-live-1\"]}|an array", "{\"token\":42}|a number",
            "{\"token\":{\"value\":\"tok-live-1\"}}|an object", "{\"token\":true}|a boolean" })
    void aJsonFieldThatIsNotAStringIsRefusedNamingWhatItIs(String secretAndKind) {
        String[] parts = secretAndKind.split("\\|");
        var refused = assertThrows(TokenSecretFormat.UnusableTokenSecret.class, () -> parse(parts[0]));
        assertEquals("the token secret's field 'token' is not a string (it is " + parts[1] + ")",
                refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "   ", "{\"username\":\"svc\"}", "{\"token\":\"  \"}", "{\"token\":null}", "{not json" })
    void aSecretWithoutAnyTokenIsEmpty(String secret) {
        assertEquals(Optional.empty(), parse(secret));
    }
}
