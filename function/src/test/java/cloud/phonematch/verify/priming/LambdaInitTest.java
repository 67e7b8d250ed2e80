package cloud.phonematch.verify.priming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The initialization types Lambda names, and what a process outside Lambda counts as. */
class LambdaInitTest {

    @Test
    void readsLambdasInitializationTypes() {
        assertEquals(LambdaInit.ON_DEMAND, LambdaInit.of(Optional.of("on-demand")));
        assertEquals(LambdaInit.PROVISIONED_CONCURRENCY, LambdaInit.of(Optional.of("provisioned-concurrency")));
        assertEquals(LambdaInit.SNAP_START, LambdaInit.of(Optional.of("snap-start")));
        assertEquals(LambdaInit.ON_DEMAND, LambdaInit.of(Optional.empty()), "outside Lambda someone may be waiting");
    }
}
