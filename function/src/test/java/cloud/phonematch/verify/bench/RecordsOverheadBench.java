package cloud.phonematch.verify.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

import cloud.phonematch.verify.verification.AttemptSettings;
import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.records.DynamoDbRecordStore;
import cloud.phonematch.verify.records.HashKeys;
import cloud.phonematch.verify.records.StoredVerificationRecords;
import cloud.phonematch.verify.records.InMemoryRecordStore;
import cloud.phonematch.verify.records.RecordStore;
import cloud.phonematch.verify.records.RecordsSettings;
import cloud.phonematch.verify.records.RecordsTiming;
import cloud.phonematch.verify.records.StoredRecord;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.LocalDynamoDb;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import cloud.phonematch.verify.support.TestPeople;
import cloud.phonematch.verify.verification.ChargeRule;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.Invocation;
import cloud.phonematch.verify.verification.ResultReuse;
import cloud.phonematch.verify.verification.SpendGuard;
import cloud.phonematch.verify.verification.TimeSource;
import cloud.phonematch.verify.verification.TokenSource;
import cloud.phonematch.verify.verification.Tracing;
import cloud.phonematch.verify.verification.VerificationFlow;
import cloud.phonematch.verify.verification.VerificationGateway;
import cloud.phonematch.verify.verification.VerificationRecords;
import cloud.phonematch.verify.verification.VerificationRequest;
import cloud.phonematch.verify.verification.VerificationResult;
import cloud.phonematch.verify.upstream.LiveVerificationGateway;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What an idempotency key costs per warm invocation: the function's own time (total minus the time inside the API
 * call and inside the store's calls) without a key, with a key on the in-memory store, and with a key on the
 * DynamoDB store (the production path: HMACs, the record as JSON, SigV4 signing, two conditional writes) against a
 * local DynamoDB engine. The engine's own time is reported apart: it is moto's on this machine, not DynamoDB's.
 * Every keyed invocation uses a new key (a first arrival: claim and settle). Run by
 * {@code bench/records-overhead.sh}; skipped in the normal suite.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@ExtendWith(LocalDynamoDb.class)
@EnabledIfSystemProperty(named = "bench", matches = "true")
class RecordsOverheadBench {
    private static final int WARMUP = Integer.getInteger("bench.warmup", 500);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3_000);
    private static final String HASH_KEY = "YmVuY2htYXJrLWhhc2gta2V5LW9mLWF0LWxlYXN0LTMyLWNoYXJz";

    @Inject
    AttemptSettings config;

    @Inject
    RecordsSettings recordsSettings;

    @Inject
    TokenSource tokens;

    @Inject
    ChargeRule rule;

    @Inject
    SpendGuard spend;

    @Inject
    ResultReuse reuse;

    @Inject
    LiveVerificationGateway live;

    /** Times every call into a store, so that its time can be taken out of the function's own. */
    static final class TimedStore implements RecordStore {
        private final RecordStore delegate;
        long nanos;
        int calls;

        TimedStore(RecordStore delegate) {
            this.delegate = delegate;
        }

        private <T> T timed(java.util.function.Supplier<T> call) {
            long start = System.nanoTime();
            try {
                return call.get();
            } finally {
                nanos += System.nanoTime() - start;
                calls++;
            }
        }

        @Override
        public Optional<StoredRecord> putIfAbsent(StoredRecord record, Instant now, Deadline deadline) {
            return timed(() -> delegate.putIfAbsent(record, now, deadline));
        }

        @Override
        public Optional<StoredRecord> get(String key, Instant now, Deadline deadline) {
            return timed(() -> delegate.get(key, now, deadline));
        }

        @Override
        public boolean replace(StoredRecord next, String previousOwner, Deadline deadline) {
            return timed(() -> delegate.replace(next, previousOwner, deadline));
        }

        @Override
        public boolean delete(String key, long version, String owner, Deadline deadline) {
            return timed(() -> delegate.delete(key, version, owner, deadline));
        }

        @Override
        public boolean incrementBelow(String key, long limit, Instant expiresAt, Deadline deadline) {
            return timed(() -> delegate.incrementBelow(key, limit, expiresAt, deadline));
        }

        @Override
        public void decrement(String key, Deadline deadline) {
            timed(() -> {
                delegate.decrement(key, deadline);
                return null;
            });
        }
    }

    /** One way of running the flow, with what it spent outside itself on the last invocation. */
    private record Variant(VerificationFlow flow, FaultToleranceOverheadBench.TimedGateway api, TimedStore store,
            boolean keyed) {
    }

    @Test
    void measure() throws IOException {
        Fakes.reset();
        SecretsManagerStubs.holds("{\"token\":\"" + TestPeople.TOKEN + "\",\"hash_key\":\"" + HASH_KEY + "\"}");
        FakeApis.api().stubFor(cloud.phonematch.verify.support.ApiStubs.check()
                .willReturn(cloud.phonematch.verify.support.ApiStubs.result("0")));
        String table = "bench-" + UUID.randomUUID();
        LocalDynamoDb.createTable(table);
        System.setProperty("aws.endpointUrlDynamoDb", System.getProperty(LocalDynamoDb.ENDPOINT_PROPERTY));

        Variant none = variant(new TimedStore(new InMemoryRecordStore()), HashKeys.perContainer(), false);
        Variant memory = variant(new TimedStore(new InMemoryRecordStore()), HashKeys.perContainer(), true);
        Variant dynamo = variant(new TimedStore(new DynamoDbRecordStore(table, Duration.ofSeconds(2))),
                HashKeys.fromSecret(tokens, "hash_key"), true);
        Variant[] all = { none, memory, dynamo };

        for (int i = 0; i < WARMUP; i++) {
            for (Variant v : all) {
                once(v);
            }
        }
        long[][] own = new long[3][ROUNDS];
        long[] engine = new long[ROUNDS];
        int storeCalls = 0;
        for (int i = 0; i < ROUNDS; i++) {
            for (int k = 0; k < 3; k++) {
                // Rotate which goes first so none always sees a warmer cache.
                int v = (i + k) % 3;
                own[v][i] = once(all[v]);
                if (v == 2) {
                    engine[i] = all[v].store().nanos;
                    storeCalls += all[v].store().calls;
                }
            }
        }
        for (long[] o : own) {
            Arrays.sort(o);
        }
        Arrays.sort(engine);
        String report = String.format("""
                | measure (µs, %d warm invocations each, %s, %d cores) | p50 | p99 |
                |---|---|---|
                | function's own time, no idempotency key | %.1f | %.1f |
                | function's own time, a new key on the in-memory store (claim + settle) | %.1f | %.1f |
                | function's own time, a new key on the DynamoDB store (claim + settle, signed) | %.1f | %.1f |
                | **the DynamoDB store's own cost** (third row minus first) | **%.1f** | **%.1f** |
                | local engine's time inside the store calls (moto on this machine; excluded above) | %.1f | %.1f |

                Store calls per keyed invocation, counted by the timing wrapper: %.2f.
                """, ROUNDS, LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                us(own[0], 50), us(own[0], 99), us(own[1], 50), us(own[1], 99), us(own[2], 50), us(own[2], 99),
                us(own[2], 50) - us(own[0], 50), us(own[2], 99) - us(own[0], 99), us(engine, 50), us(engine, 99),
                storeCalls / (double) ROUNDS);
        Path out = Path.of("target/bench/records-overhead.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
    }

    private Variant variant(TimedStore store, HashKeys keys, boolean keyed) {
        FaultToleranceOverheadBench.TimedGateway api = new FaultToleranceOverheadBench.TimedGateway(live);
        // No circuit breaker: it is the same in every variant, and a named breaker exists once per container.
        VerificationGateway gateway = api;
        VerificationRecords records = new StoredVerificationRecords(store, keys, Clock.systemUTC(),
                new RecordsTiming(recordsSettings.idempotencyTtl(), recordsSettings.clockSkewMargin()), rule);
        return new Variant(new VerificationFlow(config, rule, tokens, gateway, records, spend, reuse, TimeSource.SYSTEM,
                Tracing.NONE),
                api, store, keyed);
    }

    private static long once(Variant v) {
        v.store().nanos = 0;
        v.store().calls = 0;
        long start = System.nanoTime();
        VerificationResult result = v.flow().verify(
                new VerificationRequest(TestPeople.NAME, TestPeople.MOBILE, Language.EN, "bench",
                        v.keyed() ? "bench-" + UUID.randomUUID() : null),
                new Invocation("bench", "bench", start, Deadline.of(TimeSource.SYSTEM, start, 10_000,
                        Duration.ofMillis(500), Duration.ofSeconds(1))));
        long total = System.nanoTime() - start;
        assertEquals(VerificationResult.Answered.class, result.getClass(), result.toString());
        return total - v.api().lastNanos - v.store().nanos;
    }

    private static double us(long[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1_000.0;
    }
}
