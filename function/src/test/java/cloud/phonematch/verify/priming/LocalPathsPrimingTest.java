package cloud.phonematch.verify.priming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.handler.EventPathRehearsal;
import cloud.phonematch.verify.handler.InvocationRehearsal;
import cloud.phonematch.verify.observability.InvocationSummary;
import cloud.phonematch.verify.records.ClaimAndSettleRehearsal;
import cloud.phonematch.verify.secrets.SecretReadRehearsal;
import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.RecordedLogs;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import cloud.phonematch.verify.upstream.ApiCallRehearsal;
import io.quarkus.arc.All;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The local paths' rehearsals, gathered from the packages that own them, touch no network, no secret and no log; and
 * every library class a part of the request path names for preloading exists.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
class LocalPathsPrimingTest {

    @Inject
    Priming priming;

    @Inject
    @All
    List<LocalRehearsal> localPaths;

    @Inject
    SecretReadRehearsal secretRead;

    @Inject
    ClaimAndSettleRehearsal claimAndSettle;

    @Inject
    ApiCallRehearsal apiCall;

    @BeforeEach
    void reset() {
        Fakes.reset();
    }

    @Test
    void theHandlersAndTheSummarysPathsAreAmongThem() {
        assertTrue(localPaths.stream().anyMatch(EventPathRehearsal.class::isInstance), "the event's JSON and pre-check");
        assertTrue(localPaths.stream().anyMatch(InvocationSummary.class::isInstance), "the summary line and EMF");
        assertTrue(localPaths.stream().anyMatch(InvocationRehearsal.class::isInstance), "whole invocations");
    }

    @Test
    void rehearseWithoutAnyCallAndLogNothing() {
        List<RecordedLogs.Message> logged;
        try (RecordedLogs logs = RecordedLogs.start()) {
            priming.rehearseLocalPaths();
            logged = logs.messages();
        }

        assertEquals(0, ApiStubs.calls().size(), "no call to the API");
        assertEquals(0, SecretsManagerStubs.calls(), "no secret read during init");
        assertEquals(List.of(), logged);
    }

    @Test
    void everyPreloadedClassExists() {
        List<String> names = Stream.of(secretRead, claimAndSettle, apiCall)
                .flatMap(part -> part.firstCallClasses().stream()).toList();
        for (String name : names) {
            try {
                Class.forName(name, false, Thread.currentThread().getContextClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError("no such class to preload: " + name);
            }
        }
        assertEquals(14, names.size());
    }
}
