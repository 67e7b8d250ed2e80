package cloud.phonematch.verify.verification;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.security.SecureRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.support.FakeApis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The retries' jitter is drawn from a generator of the container's own, replaced after a SnapStart restore. */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
class RetryJitterRenewalTest {

    @Inject
    VerificationFlow flow;

    @Test
    void afterARestoreTheJitterIsDrawnFromANewGenerator() {
        SecureRandom before = flow.jitter();
        assertSame(before, flow.jitter(), "one generator for the container");

        flow.renewAfterRestore();

        assertNotSame(before, flow.jitter(), "a generator copied from the snapshot is replaced");
    }
}
