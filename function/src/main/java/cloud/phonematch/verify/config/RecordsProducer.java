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
import cloud.phonematch.verify.records.RecordsTiming;
import cloud.phonematch.verify.records.ReusedResults;
import cloud.phonematch.verify.verification.ChargeRule;
import cloud.phonematch.verify.verification.ResultReuse;
import cloud.phonematch.verify.verification.SpendGuard;
import cloud.phonematch.verify.verification.TokenSource;
import cloud.phonematch.verify.verification.VerificationRecords;

/**
 * Memory across invocations: idempotency keys and the daily budgets (of all, and per caller), on one store. With {@code VERIFY_RECORDS_TABLE}
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

    /** One per container: idempotency keys and kept answers are hashed under the same key. */
    @Produces
    @Singleton
    HashKeys hashKeys(VerifyConfig config, TokenSource tokens) {
        return shared(config) ? HashKeys.fromSecret(tokens, config.hashKeyField()) : HashKeys.perContainer();
    }

    @Produces
    @Singleton
    VerificationRecords records(VerifyConfig config, RecordStore store, HashKeys hashKeys, Clock clock,
            ChargeRule rule) {
        return new IdempotencyRecords(store, hashKeys, clock, timing(config), rule);
    }

    /** The records' timing settings; {@link SettingsCheck} has refused them at start if they break an invariant. */
    static RecordsTiming timing(VerifyConfig config) {
        return new RecordsTiming(config.idempotencyTtl(), config.clockSkewMargin());
    }

    @Produces
    @Singleton
    ResultReuse resultReuse(VerifyConfig config, RecordStore store, HashKeys hashKeys, Clock clock) {
        return new ReusedResults(store, hashKeys, clock, config.reuseWindow());
    }

    @Produces
    @Singleton
    SpendGuard spendGuard(VerifyConfig config, RecordStore store, HashKeys hashKeys, Clock clock) {
        return new DailyBudget(store, hashKeys, clock, config.dailyBudget(), config.callerDailyBudget());
    }

    private static boolean shared(VerifyConfig config) {
        return config.upstream() == VerifyConfig.Upstream.LIVE
                && config.recordsTable().filter(t -> !t.isBlank()).isPresent();
    }
}
