package cloud.phonematch.verify.config;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import cloud.phonematch.verify.records.DailyBudget;
import cloud.phonematch.verify.records.DynamoDbRecordStore;
import cloud.phonematch.verify.records.HashKeys;
import cloud.phonematch.verify.records.IdempotencyRecords;
import cloud.phonematch.verify.records.InMemoryRecordStore;
import cloud.phonematch.verify.records.RecordStore;
import cloud.phonematch.verify.records.ReusedResults;
import cloud.phonematch.verify.verification.ResultReuse;
import cloud.phonematch.verify.verification.SpendGuard;
import cloud.phonematch.verify.verification.TokenSource;
import cloud.phonematch.verify.verification.VerificationRecords;

/**
 * Memory across invocations: idempotency keys and the daily budget, on one store. With {@code VERIFY_RECORDS_TABLE}
 * set (and the live API): the DynamoDB table every container shares, with the records' HMACs under the hash key the
 * token secret holds, so that a repeat is recognized, and the budget counted, whichever container an invocation
 * reaches. Otherwise (dev mode, the sandbox, tests): this container's memory, under a hash key of its own, since
 * nothing leaves the container.
 */
@ApplicationScoped
public class RecordsProducer {

    @Produces
    @Singleton
    RecordStore store(VerifyConfig config) {
        return shared(config) ? new DynamoDbRecordStore(config.recordsTable().orElseThrow(), config.recordsTimeout())
                : new InMemoryRecordStore();
    }

    @Produces
    @Singleton
    VerificationRecords records(VerifyConfig config, RecordStore store, TokenSource tokens, Clock clock) {
        return new IdempotencyRecords(store, hashKeys(config, tokens), clock, config.idempotencyTtl(),
                config.retryOnTimeout());
    }

    @Produces
    @Singleton
    ResultReuse resultReuse(VerifyConfig config, RecordStore store, TokenSource tokens, Clock clock) {
        return new ReusedResults(store, hashKeys(config, tokens), clock, config.reuseWindow());
    }

    @Produces
    @Singleton
    SpendGuard spendGuard(VerifyConfig config, RecordStore store, Clock clock) {
        return new DailyBudget(store, clock, config.dailyBudget());
    }

    /** One per container: idempotency keys and kept answers use the same hash key. */
    private HashKeys hashKeys;

    private synchronized HashKeys hashKeys(VerifyConfig config, TokenSource tokens) {
        if (hashKeys == null) {
            hashKeys = shared(config) ? HashKeys.fromSecret(tokens, config.hashKeyField()) : HashKeys.perContainer();
        }
        return hashKeys;
    }

    private static boolean shared(VerifyConfig config) {
        return config.upstream() == VerifyConfig.Upstream.LIVE
                && config.recordsTable().filter(t -> !t.isBlank()).isPresent();
    }
}
