package cloud.phonematch.verify.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.support.SettingsStub;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.verification.ApiToken;
import cloud.phonematch.verify.support.MutableClock;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.FailureException;
import cloud.phonematch.verify.verification.TimeSource;
import cloud.phonematch.verify.verification.Tracing;

/**
 * The token cache when Secrets Manager is unavailable: a transient failure after the TTL keeps the cached token in
 * use (bounded by VERIFY_TOKEN_STALE_LIMIT, one refresh try per interval), a refusal does not, and every read is
 * given a deadline that leaves time for one call to the API. Secrets Manager is a scripted stand-in that journals
 * every read; the clock only moves when told to.
 */
class StaleTokenTest {
    private static final Duration TTL = Duration.ofSeconds(300);
    private static final Duration STALE_LIMIT = Duration.ofHours(1);
    private static final Duration SECRET_TIMEOUT = Duration.ofSeconds(1);

    private final MutableClock clock = new MutableClock();
    private final ScriptedSecrets secrets = new ScriptedSecrets();
    private final SecretsManagerTokenSource source = new SecretsManagerTokenSource(config(), secrets, clock,
            Tracing.NONE);

    /** 10 s left before the margin, of which 1 s is kept for the call that follows the read. */
    private static Deadline deadline() {
        return Deadline.of(TimeSource.SYSTEM, System.nanoTime(), 10_500, Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void aTransientFailureAfterTheTtlKeepsTheCachedTokenInUse() {
        secrets.answer(() -> "token-a");
        assertEquals(new ApiToken("token-a"), source.current(deadline()));

        clock.advance(TTL.plusSeconds(1));
        secrets.fail(new SecretsManagerBusy("ThrottlingException"));
        assertEquals(new ApiToken("token-a"), source.current(deadline()));
        assertEquals(2, secrets.reads.size(), "one refresh was tried");

        clock.advance(Duration.ofSeconds(5));
        assertEquals(new ApiToken("token-a"), source.current(deadline()));
        assertEquals(2, secrets.reads.size(), "no second try within the refresh interval");

        clock.advance(SecretsManagerTokenSource.STALE_REFRESH_INTERVAL);
        secrets.answer(() -> "token-b");
        assertEquals(new ApiToken("token-b"), source.current(deadline()), "recovered: the new value is used");
        assertEquals(3, secrets.reads.size());
    }

    @Test
    void theStaleTokenIsUsedNoLongerThanTheLimit() {
        secrets.answer(() -> "token-a");
        source.current(deadline());

        clock.advance(TTL.plus(STALE_LIMIT).plusSeconds(1));
        secrets.fail(new SecretsManagerBusy("InternalServiceError"));
        FailureException e = assertThrows(FailureException.class, () -> source.current(deadline()));
        assertEquals(ErrorType.SECRETS_UNAVAILABLE, e.failure().type());
        assertTrue(e.failure().retryable());
    }

    @Test
    void aRefusalIsNeverHiddenBehindTheCachedToken() {
        secrets.answer(() -> "token-a");
        source.current(deadline());

        clock.advance(TTL.plusSeconds(1));
        secrets.fail(new SecretsManagerRefusal(400, "AccessDeniedException"));
        FailureException e = assertThrows(FailureException.class, () -> source.current(deadline()));
        assertEquals(ErrorType.CONFIGURATION, e.failure().type());
        assertTrue(e.failure().message().contains("may not read"));
    }

    @Test
    void withoutACachedTokenSecretsManagerTroubleIsRetryableAndOnlyAMissingSecretIsConfiguration() {
        secrets.fail(new SecretsManagerBusy("ThrottlingException"));
        assertEquals(ErrorType.SECRETS_UNAVAILABLE,
                assertThrows(FailureException.class, () -> source.current(deadline())).failure().type());

        secrets.fail(new SecretsManagerOutOfTime());
        assertEquals(ErrorType.SECRETS_UNAVAILABLE,
                assertThrows(FailureException.class, () -> source.current(deadline())).failure().type());

        secrets.fail(new SecretsManagerRefusal(400, "ResourceNotFoundException"));
        assertEquals(ErrorType.CONFIGURATION,
                assertThrows(FailureException.class, () -> source.current(deadline())).failure().type());

        secrets.answer(() -> "{\"username\":\"svc\"}");
        assertEquals(ErrorType.CONFIGURATION,
                assertThrows(FailureException.class, () -> source.current(deadline())).failure().type());
    }

    @Test
    void everyReadLeavesTimeForOneCallAndAStaleRefreshTakesOneCallsTimeAtMost() {
        secrets.answer(() -> "token-a");
        source.current(deadline());
        Duration first = secrets.reads.get(0);
        assertTrue(first.compareTo(Duration.ofMillis(8_900)) > 0 && first.compareTo(Duration.ofSeconds(9)) <= 0,
                "10 s left, 1 s kept for the call: " + first);

        clock.advance(TTL.plusSeconds(1));
        source.current(deadline());
        Duration refresh = secrets.reads.get(1);
        assertTrue(refresh.compareTo(SECRET_TIMEOUT) <= 0 && refresh.compareTo(Duration.ofMillis(900)) > 0,
                "a usable token is in hand: the refresh is capped at one call's time: " + refresh);

        source.refreshAfterRejection(new ApiToken("token-a"), deadline());
        assertTrue(secrets.reads.get(2).compareTo(Duration.ofMillis(8_900)) > 0,
                "a rejected token cannot be served stale: the refresh gets the whole read budget");
    }

    @Test
    void aFreshTokenIsNotReadAgain() {
        secrets.answer(() -> "token-a");
        source.current(deadline());
        clock.advance(TTL.minusSeconds(1));
        secrets.fail(new IllegalStateException("read within the TTL"));
        assertEquals(new ApiToken("token-a"), source.current(deadline()));
        assertEquals(1, secrets.reads.size());
    }

    private static TokenSettings config() {
        return SettingsStub.of(TokenSettings.class, Map.of("tokenSecretId", Optional.of("phonematch/verify-api-token"),
                "tokenCacheTtl", TTL, "tokenStaleLimit", STALE_LIMIT, "secretTimeout", SECRET_TIMEOUT));
    }

    /** Secrets Manager as a script: the next answer, and the time each read was given (its journal). */
    private static final class ScriptedSecrets extends SecretsManagerAccess {
        final List<Duration> reads = new ArrayList<>();
        private final Deque<Supplier<String>> script = new ArrayDeque<>();

        ScriptedSecrets() {
            super(null, Clock.systemUTC(), TimeSource.SYSTEM);
        }

        void answer(Supplier<String> next) {
            script.clear();
            script.add(next);
        }

        void fail(RuntimeException failure) {
            answer(() -> {
                throw failure;
            });
        }

        @Override
        public String secretString(String secretId, Deadline deadline) {
            reads.add(deadline.remaining());
            return script.getFirst().get();
        }
    }

}
