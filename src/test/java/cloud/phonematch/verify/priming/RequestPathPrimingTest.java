package cloud.phonematch.verify.priming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.config.VerifyConfig;
import cloud.phonematch.verify.secrets.SecretsManagerAccess;
import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import cloud.phonematch.verify.upstream.CircuitBreakingGateway;
import cloud.phonematch.verify.upstream.VerificationApiClientFactory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * The request path's priming, on (as in production), in an on-demand init: at startup the warm-up, which sends nothing;
 * the rehearsal (what runs where no caller waits for the init) runs the whole path against its own loopback server,
 * counted by that server. Both leave nothing behind — no open server, no connection, none of the function's own clients
 * built, nothing in the API's circuit, no log line. WireMock's journal shows that the fakes of the real services saw
 * nothing.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
@TestProfile(RequestPathPrimingTest.PrimingOn.class)
class RequestPathPrimingTest {

    public static class PrimingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("priming.request-path.enabled", "true");
        }
    }

    @Inject
    RequestPathPriming priming;

    @Inject
    VerificationApiClientFactory apiClients;

    @Inject
    SecretsManagerAccess secrets;

    @Inject
    VerifyConfig config;

    @Inject
    Clock clock;

    @BeforeEach
    void reset() {
        Fakes.reset();
    }

    @Test
    void anOnDemandInitWarmsThePathUpOnceWithoutBuildingTheFunctionsOwnClients() {
        assertInstanceOf(RequestPathPriming.WarmedUp.class, priming.last().orElseThrow(
                () -> new AssertionError("not primed")));

        assertTrue(priming.beforeSnapshot().isEmpty(), "once per process");
        assertFalse(apiClients.built(), "the function's API client is still built on first use");
        assertFalse(secrets.connected(), "the function's Secrets Manager client is still set up on first use");
        assertThrows(IllegalArgumentException.class,
                () -> CircuitBreakerMaintenance.get().currentState(CircuitBreakingGateway.NAME),
                "the API's circuit does not exist before the first call: the priming used a circuit of its own");
    }

    @Test
    void theWarmUpConnectsNowhere() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listening.setSoTimeout(300);
            URI there = URI.create("http://127.0.0.1:" + listening.getLocalPort());

            new RequestPathWarmUp(config, secrets, clock, there).run(true);

            assertThrows(SocketTimeoutException.class, () -> listening.accept().close(),
                    "no connection was opened to where its clients point");
        }
        assertEquals(0, ApiStubs.calls().size());
        assertEquals(0, SecretsManagerStubs.calls());
        assertFalse(apiClients.built());
        assertFalse(secrets.connected());
    }

    @Test
    void everyRoundOfTheRehearsalRunsThePathAgainstTheLoopbackServerOnly() {
        RequestPathPriming.Rehearsed rehearsal = priming.rehearse(3, false);

        assertEquals(3, rehearsal.secretReads());
        assertEquals(3, rehearsal.apiCalls());
        assertEquals(0, rehearsal.recordWrites());
        assertEquals(0, ApiStubs.calls().size(), "the API's fake saw nothing");
        assertEquals(0, SecretsManagerStubs.calls(), "Secrets Manager's fake saw nothing");
    }

    @Test
    void withARecordsTableAClaimAndASettleGoToDynamoDb() {
        RequestPathPriming.Rehearsed rehearsal = priming.rehearse(1, true);

        assertEquals(2, rehearsal.recordWrites(), "PutItem to claim, PutItem to settle");
        assertEquals(1, rehearsal.apiCalls());
        assertEquals(1, rehearsal.secretReads());
        assertEquals(0, rehearsal.unknown());
    }

    @Test
    void leavesNoServerNoConnectionAndNoClientOfTheFunctionsOwn() {
        RequestPathPriming.Rehearsed rehearsal = priming.rehearse(1, true);

        assertEquals(0, rehearsal.leftOpen(), "the priming's clients closed every connection they opened");
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", rehearsal.port()).close(),
                "the loopback server is stopped");
        assertFalse(apiClients.built());
        assertFalse(secrets.connected());
    }

    @Test
    void logsNothing() {
        List<LogRecord> logged = Collections.synchronizedList(new ArrayList<>());
        Handler recorder = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        recorder.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        root.addHandler(recorder);
        try {
            priming.rehearse(2, true);
            priming.warmUp(true);
        } finally {
            root.removeHandler(recorder);
        }

        assertEquals(List.of(), logged.stream().map(r -> r.getLoggerName() + ": " + r.getMessage()).toList());
    }
}
