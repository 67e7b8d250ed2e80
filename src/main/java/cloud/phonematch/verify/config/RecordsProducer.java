package cloud.phonematch.verify.config;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import cloud.phonematch.verify.records.IdempotencyRecords;
import cloud.phonematch.verify.records.InMemoryRecordStore;
import cloud.phonematch.verify.records.HashKeys;
import cloud.phonematch.verify.verification.VerificationRecords;

/**
 * The records the flow claims idempotency keys in: this container's memory, under a hash key of its own (nothing
 * leaves the container, so no other needs to recognize its HMACs).
 */
@ApplicationScoped
public class RecordsProducer {

    @Produces
    @Singleton
    VerificationRecords records(VerifyConfig config, Clock clock) {
        return new IdempotencyRecords(new InMemoryRecordStore(), HashKeys.perContainer(), clock,
                config.idempotencyTtl(), config.retryOnTimeout());
    }
}
