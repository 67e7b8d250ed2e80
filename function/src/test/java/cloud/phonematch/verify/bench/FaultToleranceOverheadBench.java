package cloud.phonematch.verify.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import cloud.phonematch.verify.crypto.EncryptionSettings;
import cloud.phonematch.verify.upstream.ApiSettings;
import cloud.phonematch.verify.verification.AttemptSettings;
import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.TestPeople;
import cloud.phonematch.verify.upstream.CircuitBreakingVerificationGateway;
import cloud.phonematch.verify.upstream.LiveVerificationGateway;
import cloud.phonematch.verify.upstream.RequestBodies;
import cloud.phonematch.verify.upstream.VerificationApiClientFactory;
import cloud.phonematch.verify.verification.ChargeRule;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.Invocation;
import cloud.phonematch.verify.verification.ResultReuse;
import cloud.phonematch.verify.verification.SpendGuard;
import cloud.phonematch.verify.verification.TimeSource;
import cloud.phonematch.verify.verification.TokenSource;
import cloud.phonematch.verify.verification.Tracing;
import cloud.phonematch.verify.verification.UpstreamAnswer;
import cloud.phonematch.verify.verification.UpstreamCall;
import cloud.phonematch.verify.verification.VerificationFlow;
import cloud.phonematch.verify.verification.VerificationRecords;
import cloud.phonematch.verify.verification.VerificationGateway;
import cloud.phonematch.verify.verification.VerificationRequest;
import cloud.phonematch.verify.verification.VerificationResult;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What the fault-tolerance wrappers cost per warm invocation: the function's own time (total minus the time
 * inside the HTTP call) against a zero-latency local API, with the production wiring (circuit breaker,
 * deadline, charge-safe retry loop) and without the circuit breaker, interleaved in one run so both see the
 * same machine. Run by {@code bench/fault-tolerance-overhead.sh}; skipped in the normal suite.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@EnabledIfSystemProperty(named = "bench", matches = "true")
class FaultToleranceOverheadBench {
    private static final int WARMUP = Integer.getInteger("bench.warmup", 3_000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 20_000);

    @Inject
    AttemptSettings config;

    @Inject
    ApiSettings apiSettings;

    @Inject
    EncryptionSettings encryption;

    @Inject
    TokenSource tokens;

    @Inject
    ChargeRule rule;

    @Inject
    SpendGuard spend;

    @Inject
    ResultReuse reuse;

    @Inject
    VerificationRecords records;

    /** Times only the HTTP call, innermost, so everything around it counts as the function's own time. */
    static final class TimedGateway implements VerificationGateway {
        private final VerificationGateway delegate;
        long lastNanos;

        TimedGateway(VerificationGateway delegate) {
            this.delegate = delegate;
        }

        @Override
        public UpstreamAnswer check(UpstreamCall call, Duration timeout) {
            long start = System.nanoTime();
            UpstreamAnswer answer = delegate.check(call, timeout);
            lastNanos = System.nanoTime() - start;
            return answer;
        }

        @Override
        public boolean requiresToken() {
            return delegate.requiresToken();
        }
    }

    @Test
    void measure() throws IOException {
        Fakes.reset();
        try (ZeroLatencyApi api = new ZeroLatencyApi()) {
            ApiSettings local = (ApiSettings) Proxy.newProxyInstance(ApiSettings.class.getClassLoader(),
                    new Class<?>[] { ApiSettings.class }, (p, m, a) -> m.getName().equals("apiBaseUrl")
                            ? api.baseUrl()
                            : m.invoke(apiSettings, a));
            LiveVerificationGateway live = new LiveVerificationGateway(new VerificationApiClientFactory(local, config),
                    Clock.systemUTC(), new RequestBodies(encryption));
            TimedGateway timedBare = new TimedGateway(live);
            TimedGateway timedWrapped = new TimedGateway(live);
            VerificationFlow without = new VerificationFlow(config, rule, tokens, timedBare, records, spend, reuse,
                    TimeSource.SYSTEM,
                    Tracing.NONE);
            VerificationFlow with = new VerificationFlow(config, rule, tokens, new CircuitBreakingVerificationGateway(timedWrapped, local),
                    records, spend, reuse, TimeSource.SYSTEM, Tracing.NONE);

            for (int i = 0; i < WARMUP; i++) {
                once(without, timedBare);
                once(with, timedWrapped);
            }
            long[] ownWithout = new long[ROUNDS];
            long[] ownWith = new long[ROUNDS];
            long[] http = new long[ROUNDS];
            for (int i = 0; i < ROUNDS; i++) {
                // Alternate which goes first so neither always sees a warmer cache.
                if ((i & 1) == 0) {
                    ownWithout[i] = once(without, timedBare);
                    ownWith[i] = once(with, timedWrapped);
                } else {
                    ownWith[i] = once(with, timedWrapped);
                    ownWithout[i] = once(without, timedBare);
                }
                http[i] = timedBare.lastNanos;
            }
            Arrays.sort(ownWithout);
            Arrays.sort(ownWith);
            Arrays.sort(http);
            String report = String.format("""
                    | measure (µs, %d warm invocations each, %s, %d cores) | p50 | p99 |
                    |---|---|---|
                    | HTTP call to the zero-latency local API (excluded below) | %.1f | %.1f |
                    | function's own time, without circuit breaker | %.1f | %.1f |
                    | function's own time, production wiring (circuit breaker + deadline + retry loop) | %.1f | %.1f |
                    | difference (the wrappers' cost) | %.1f | %.1f |
                    """, ROUNDS, LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                    us(http, 50), us(http, 99), us(ownWithout, 50), us(ownWithout, 99), us(ownWith, 50),
                    us(ownWith, 99), us(ownWith, 50) - us(ownWithout, 50), us(ownWith, 99) - us(ownWithout, 99));
            Path out = Path.of("target/bench/fault-tolerance-overhead.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
            System.out.println(report);
        }
    }

    private long once(VerificationFlow flow, TimedGateway timed) {
        long start = System.nanoTime();
        VerificationResult result = flow.verify(
                new VerificationRequest(TestPeople.NAME, TestPeople.MOBILE, Language.EN, "bench"),
                new Invocation("bench", "bench", start, Deadline.of(TimeSource.SYSTEM, start, 10_000,
                        Duration.ofMillis(500), Duration.ofSeconds(1))));
        long total = System.nanoTime() - start;
        assertEquals(VerificationResult.Answered.class, result.getClass());
        return total - timed.lastNanos;
    }

    private static double us(long[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1_000.0;
    }
}
