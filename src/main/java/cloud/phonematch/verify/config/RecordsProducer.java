package cloud.phonematch.verify.config;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import cloud.phonematch.verify.records.DynamoDbRecordStore;
import cloud.phonematch.verify.records.HashKeys;
import cloud.phonematch.verify.records.IdempotencyRecords;
import cloud.phonematch.verify.records.InMemoryRecordStore;
import cloud.phonematch.verify.records.RecordStore;
import cloud.phonematch.verify.verification.TokenSource;
import cloud.phonematch.verify.verification.VerificationRecords;

/**
 * The records the flow claims idempotency keys in. With {@code VERIFY_RECORDS_TABLE} set (and the live API): the
 * DynamoDB table every container shares, under the hash key the token secret holds, so that a repeat is recognized
 * whichever container it reaches. Otherwise (dev mode, the sandbox, tests): this container's memory, under a hash
 * key of its own, since nothing leaves the container.
 */
@ApplicationScoped
public class RecordsProducer {

    @Produces
    @Singleton
    VerificationRecords records(VerifyConfig config, TokenSource tokens, Clock clock) {
        boolean shared = config.upstream() == VerifyConfig.Upstream.LIVE
                && config.recordsTable().filter(t -> !t.isBlank()).isPresent();
        RecordStore store = shared ? new DynamoDbRecordStore(config.recordsTable().get(), config.recordsTimeout())
                : new InMemoryRecordStore();
        HashKeys keys = shared ? HashKeys.fromSecret(tokens, config.hashKeyField()) : HashKeys.perContainer();
        return new IdempotencyRecords(store, keys, clock, config.idempotencyTtl(), config.retryOnTimeout());
    }
}
