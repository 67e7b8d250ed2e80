package cloud.phonematch.verify.config;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import cloud.phonematch.verify.records.DailyBudgetSpendGuard;
import cloud.phonematch.verify.records.DynamoDbRecordStore;
import cloud.phonematch.verify.records.HashKeys;
import cloud.phonematch.verify.records.StoredVerificationRecords;
import cloud.phonematch.verify.records.InMemoryRecordStore;
import cloud.phonematch.verify.records.RecordStore;
import cloud.phonematch.verify.records.RecordsSettings;
import cloud.phonematch.verify.records.RecordsTiming;
import cloud.phonematch.verify.records.StoredResultReuse;
import cloud.phonematch.verify.secrets.TokenSettings;
import cloud.phonematch.verify.upstream.ApiSettings;
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
    private final RecordsSettings settings;
    /** Whether the records live in the shared table: the live API and a table named. */
    private final boolean shared;

    RecordsProducer(ApiSettings api, RecordsSettings settings) {
        this.settings = settings;
        this.shared = shared(api, settings);
    }

    /** Whether the records live in the shared table: the live API and a table named. */
    static boolean shared(ApiSettings api, RecordsSettings settings) {
        return api.upstream() == ApiSettings.Upstream.LIVE
                && settings.recordsTable().filter(t -> !t.isBlank()).isPresent();
    }

    @Produces
    @Singleton
    RecordStore store() {
        return shared ? new DynamoDbRecordStore(settings.recordsTable().orElseThrow(), settings.recordsTimeout())
                : new InMemoryRecordStore();
    }

    /** One per container: idempotency keys and kept answers are hashed under the same key. */
    @Produces
    @Singleton
    HashKeys hashKeys(TokenSettings token, TokenSource tokens) {
        return shared ? HashKeys.fromSecret(tokens, token.hashKeyField()) : HashKeys.perContainer();
    }

    /** The records' timing settings; {@link SettingsCheck} has refused them at start if they break an invariant. */
    @Produces
    @Singleton
    VerificationRecords records(RecordStore store, HashKeys hashKeys, Clock clock, ChargeRule rule) {
        return new StoredVerificationRecords(store, hashKeys, clock,
                new RecordsTiming(settings.idempotencyTtl(), settings.clockSkewMargin()), rule);
    }

    @Produces
    @Singleton
    ResultReuse resultReuse(RecordStore store, HashKeys hashKeys, Clock clock) {
        return new StoredResultReuse(store, hashKeys, clock, settings.reuseWindow());
    }

    @Produces
    @Singleton
    SpendGuard spendGuard(RecordStore store, HashKeys hashKeys, Clock clock) {
        return new DailyBudgetSpendGuard(store, hashKeys, clock, settings.dailyBudget(), settings.callerDailyBudget());
    }
}
