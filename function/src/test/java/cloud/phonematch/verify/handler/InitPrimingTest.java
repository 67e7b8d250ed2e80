package cloud.phonematch.verify.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Priming at init touches no network and no secret, and every class it names exists. */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
class InitPrimingTest {

    @Inject
    InitPriming priming;

    @BeforeEach
    void reset() {
        Fakes.reset();
    }

    @Test
    void primesWithoutAnyCall() {
        priming.prime();

        assertEquals(0, ApiStubs.calls().size(), "no call to the API");
        assertEquals(0, SecretsManagerStubs.calls(), "no secret read during init");
    }

    @Test
    void everyPreloadedClassExists() {
        for (String name : InitPriming.FIRST_CALL_CLASSES) {
            try {
                Class.forName(name, false, Thread.currentThread().getContextClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError("no such class to preload: " + name);
            }
        }
        assertTrue(InitPriming.FIRST_CALL_CLASSES.size() > 10);
    }
}
