package cloud.phonematch.verify.verification;

import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.NAME;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import cloud.phonematch.verify.crypto.EncryptionSettings;
import cloud.phonematch.verify.upstream.ApiSettings;
import cloud.phonematch.verify.handler.VerificationHandler;
import cloud.phonematch.verify.localgateway.LocalLambdaContext;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.output.OutcomeUnknownException;
import cloud.phonematch.verify.output.SecretsUnavailableException;
import cloud.phonematch.verify.output.UpstreamTimeoutException;
import cloud.phonematch.verify.output.VerificationException;
import cloud.phonematch.verify.support.ApiStubs;
import cloud.phonematch.verify.support.Events;
import cloud.phonematch.verify.support.FakeApis;
import cloud.phonematch.verify.support.Fakes;
import cloud.phonematch.verify.support.Lambda;
import cloud.phonematch.verify.support.OutputSchema;
import cloud.phonematch.verify.support.RecordedLogs;
import cloud.phonematch.verify.support.SecretsManagerStubs;
import cloud.phonematch.verify.support.TestPeople;
import cloud.phonematch.verify.upstream.LiveVerificationGateway;
import cloud.phonematch.verify.upstream.RequestBodies;
import cloud.phonematch.verify.upstream.VerificationApiClientFactory;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The fault-tolerance policy against injected faults, in real time where time is the point. Call counts
 * and timings come from WireMock's journal.
 */
@QuarkusTest
@QuarkusTestResource(FakeApis.class)
class FaultToleranceTest {

    @Inject
    VerificationHandler handler;

    @Inject
    AttemptSettings config;

    @Inject
    ApiSettings api;

    @Inject
    EncryptionSettings encryption;

    @Inject
    TokenSource tokens;

    @Inject
    ChargeRule rule;

    @Inject
    SpendGuard spend;

    @Inject
    ResultReuse reuse;

    @Inject
    VerificationGateway gateway;

    @Inject
    VerificationRecords records;

    @BeforeEach
    void reset() {
        Fakes.reset();
    }

    @Test
    void twoServiceUnavailablesThenAnAnswer() {
        ApiStubs.answerInOrder(ApiStubs.error(503, "unavailable"), ApiStubs.error(503, "unavailable"), ApiStubs.result("0"));

        JsonNode out = Lambda.direct(Events.direct(NAME, MOBILE));

        assertEquals("CONSISTENT", out.path("status").asText());
        assertEquals(3, out.path("attempts").asInt());
        assertEquals(3, ApiStubs.calls().size());
    }

    @Test
    void rateLimitWithShortRetryAfterIsWaitedOut() {
        ApiStubs.answerInOrder(ApiStubs.error(429, "too_many_requests").withHeader("Retry-After", "1"), ApiStubs.result("1"));

        JsonNode out = Lambda.direct(Events.direct(NAME, MOBILE));

        assertEquals("INCONSISTENT", out.path("status").asText());
        assertEquals(2, out.path("attempts").asInt());
        List<LoggedRequest> calls = ApiStubs.calls();
        assertEquals(2, calls.size());
        long waitedMs = Math.abs(calls.get(0).getLoggedDate().getTime() - calls.get(1).getLoggedDate().getTime());
        assertTrue(waitedMs >= 1_000 && waitedMs < 3_000, "waited about Retry-After: " + waitedMs + " ms");
    }

    @Test
    void rateLimitWithLongRetryAfterIsHandedToTheCaller() {
        ApiStubs.answer(ApiStubs.error(429, "too_many_requests").withHeader("Retry-After", "120"));

        Lambda.FunctionError failure = Lambda.directFailure(Events.direct(NAME, MOBILE));

        assertEquals("cloud.phonematch.verify.output.RateLimitedException", failure.errorType());
        assertEquals(120, failure.error().path("retry_after_seconds").asInt());
        assertEquals(1, ApiStubs.calls().size());
    }

    @Test
    void engineErrorThenAnswerIsChargedOnce() {
        ApiStubs.answerInOrder(ApiStubs.result("-2"), ApiStubs.result("0"));

        JsonNode out = Lambda.direct(Events.direct(NAME, MOBILE));

        assertEquals("CONSISTENT", out.path("status").asText());
        assertEquals(2, out.path("attempts").asInt());
        assertTrue(out.path("billable").asBoolean());
        assertEquals(2, ApiStubs.calls().size(), "one uncharged -2 and one charged answer");
    }

    @Test
    void slowAnswerEndsOutcomeUnknownAfterExactlyOneCall() {
        // Attempt timeout is 1 s in the test profile; the answer would come after 2.5 s and may be charged.
        ApiStubs.answer(ApiStubs.result("0").withFixedDelay(2_500));

        Lambda.FunctionError failure = Lambda.directFailure(Events.direct(NAME, MOBILE));

        assertEquals(OutcomeUnknownException.class.getName(), failure.errorType());
        assertEquals("UPSTREAM_TIMEOUT", failure.error().path("type").asText());
        assertTrue(failure.error().path("outcome_unknown").asBoolean());
        assertFalse(failure.error().path("retryable").asBoolean(), "the API may have charged it");
        assertEquals(1, ApiStubs.calls().size(), "a possibly charged call is never repeated");
    }

    @ParameterizedTest
    @ValueSource(ints = { 502, 504 })
    void aGatewayErrorMayHaveBeenChargedAndIsNotSentAgain(int status) {
        ApiStubs.answerInOrder(ApiStubs.error(status, "gateway"), ApiStubs.result("0"));

        Lambda.FunctionError failure = Lambda.directFailure(Events.direct(NAME, MOBILE));

        assertEquals(OutcomeUnknownException.class.getName(), failure.errorType());
        assertTrue(failure.error().path("outcome_unknown").asBoolean());
        assertFalse(failure.error().path("retryable").asBoolean());
        assertEquals(status, failure.error().path("upstream_status").asInt());
        assertEquals(1, ApiStubs.calls().size(), "the gateway forwarded it: the engine may have charged it");

        Fakes.reset();
        ApiStubs.answerInOrder(ApiStubs.error(status, "gateway"), ApiStubs.result("0"));
        Lambda.HttpReply reply = Lambda.http(Events.httpV2("POST", "/verifications", Events.body(NAME, MOBILE),
                java.util.Map.of()));
        assertEquals(status, reply.statusCode());
        assertTrue(reply.body().path("error").path("outcome_unknown").asBoolean());
        assertEquals(1, ApiStubs.calls().size());
    }

    @Test
    void neverOutlivesTheLambdaDeadline() {
        ApiStubs.answer(ApiStubs.result("0").withFixedDelay(5_000));

        Timed<OutcomeUnknownException> failure = invokeWith(2_000, OutcomeUnknownException.class);

        assertTrue(failure.elapsedMs() < 2_000, "answered before Lambda's deadline: " + failure.elapsedMs() + " ms");
        assertEquals(ErrorType.UPSTREAM_TIMEOUT, failure.thrown().failure().type());
        assertEquals(1, ApiStubs.calls().size());
    }

    @Test
    void noAttemptStartsWithoutTimeForARealisticAnswer() {
        ApiStubs.answer(ApiStubs.result("0"));

        // 1,400 ms left, 500 ms margin: 900 ms, less than the shortest attempt worth starting (1 s here).
        UpstreamTimeoutException failure = invokeWith(1_400, UpstreamTimeoutException.class).thrown();

        assertTrue(failure.failure().retryable(), "nothing was sent, so nothing was charged");
        assertFalse(failure.failure().outcomeUnknown());
        assertEquals(0, ApiStubs.calls().size());
        assertEquals(0, SecretsManagerStubs.calls(), "no token is read for a call that cannot start");
    }

    @Test
    void noAttemptStartsWhenLessThanTheMarginIsLeft() {
        ApiStubs.answer(ApiStubs.result("0"));

        UpstreamTimeoutException failure = invokeWith(400, UpstreamTimeoutException.class).thrown();

        assertEquals(ErrorType.UPSTREAM_TIMEOUT, failure.failure().type());
        assertEquals(0, ApiStubs.calls().size());
    }

    @Test
    void resetAfterTheRequestWasSentIsNotRepeated() {
        ApiStubs.answer(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        Lambda.FunctionError failure = Lambda.directFailure(Events.direct(NAME, MOBILE));

        assertEquals(OutcomeUnknownException.class.getName(), failure.errorType());
        assertEquals("UPSTREAM_UNAVAILABLE", failure.error().path("type").asText());
        assertTrue(failure.error().path("outcome_unknown").asBoolean());
        assertFalse(failure.error().path("retryable").asBoolean());
        assertEquals(1, ApiStubs.calls().size(), "the API may have charged it");
    }

    @Test
    void aResetOfTheApisConnectionIsReportedByTheSummaryLineAlone() {
        ApiStubs.answer(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        List<RecordedLogs.Message> logged = loggedDuringOneHttpInvocation();

        assertEquals(1, ApiStubs.calls().size());
        assertOnlyTheSummaryReports("UPSTREAM_UNAVAILABLE", logged);
    }

    @Test
    void aResetOfSecretsManagersConnectionIsReportedByTheSummaryLineAlone() {
        FakeApis.secretsManager().stubFor(SecretsManagerStubs.getSecretValue()
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        List<RecordedLogs.Message> logged = loggedDuringOneHttpInvocation();

        assertTrue(SecretsManagerStubs.calls() >= 1);
        assertEquals(0, ApiStubs.calls().size());
        assertOnlyTheSummaryReports("SECRETS_UNAVAILABLE", logged);
    }

    /** One invocation through API Gateway, whose failure is an HTTP reply (a direct one's is the runtime's to log). */
    private static List<RecordedLogs.Message> loggedDuringOneHttpInvocation() {
        try (RecordedLogs logs = RecordedLogs.start()) {
            Lambda.http(Events.httpV2("POST", "/verifications", Events.body(NAME, MOBILE), Map.of()));
            return logs.messages();
        }
    }

    /**
     * The invocation's one summary line names the failure, and nothing is logged at ERROR: no line of Vert.x's own per
     * broken connection ({@code io.vertx.core.net.impl.ConnectionBase}, "Connection reset"), nor any other line of
     * Vert.x or Netty above DEBUG.
     */
    private static void assertOnlyTheSummaryReports(String errorType, List<RecordedLogs.Message> logged) {
        List<RecordedLogs.Message> summaries = logged.stream()
                .filter(m -> m.logger().equals("cloud.phonematch.verify.summary")).toList();
        assertEquals(1, summaries.size(), "one summary line: " + summaries);
        assertEquals(errorType, summaries.get(0).mdc().get("error.type"));
        assertEquals(List.of(), logged.stream().filter(m -> m.level().intValue() >= Level.SEVERE.intValue()
                || m.level().intValue() > Level.FINE.intValue()
                        && (m.logger().startsWith("io.vertx.") || m.logger().startsWith("io.netty."))).toList(),
                "the summary line reports the failure");
    }

    @Test
    void emptyReplyAfterTheRequestWasSentIsNotRepeated() {
        ApiStubs.answer(aResponse().withFault(Fault.EMPTY_RESPONSE));

        Lambda.directFailure(Events.direct(NAME, MOBILE));

        assertEquals(1, ApiStubs.calls().size());
    }

    @Test
    void connectionRefusedBeforeSendingIsRepeated() throws Exception {
        VerificationResult result;
        // A port bound but not listening refuses connections; held (without SO_REUSEADDR) for the whole call, it
        // cannot be taken by another listener of this JVM, as a port closed before the call could be.
        try (Socket held = new Socket()) {
            held.setReuseAddress(false);
            held.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int refusingPort = held.getLocalPort();
            ApiSettings elsewhere = (ApiSettings) Proxy.newProxyInstance(ApiSettings.class.getClassLoader(),
                    new Class<?>[] { ApiSettings.class },
                    (proxy, method, args) -> method.getName().equals("apiBaseUrl")
                            ? "http://127.0.0.1:" + refusingPort
                            : method.invoke(api, args));
            LiveVerificationGateway unreachable = new LiveVerificationGateway(
                    new VerificationApiClientFactory(elsewhere, config), Clock.systemUTC(),
                    new RequestBodies(encryption));
            VerificationFlow flow = new VerificationFlow(config, rule, tokens, unreachable, records, spend, reuse,
                    TimeSource.SYSTEM,
                    Tracing.NONE);

            result = flow.verify(new VerificationRequest(NAME, MOBILE, Language.EN, "c"),
                    new Invocation("r", "c", System.nanoTime(),
                            Deadline.of(TimeSource.SYSTEM, System.nanoTime(), 5_000, config.deadlineMargin(),
                                    config.minAttemptTime())));
        }

        VerificationResult.Failed failed = assertInstanceOf(VerificationResult.Failed.class, result);
        assertEquals(ErrorType.UPSTREAM_UNAVAILABLE, failed.failure().type());
        assertEquals(3, failed.attempts(), "nothing was sent, so every attempt was safe");
    }

    @Test
    void aRetryRefusedByTheOpenCircuitIsNotCountedAsACall() {
        // One call refused with 503 (not charged, so repeated), then the circuit is open: the retry is refused
        // locally, before anything is sent.
        ScriptedGateway gateway = new ScriptedGateway(List.of(
                new UpstreamAnswer.Refused(Failure.upstream(ErrorType.UPSTREAM_UNAVAILABLE, "503", 503, null),
                        UpstreamAnswer.RefusalKind.TRANSIENT, null),
                openCircuit()));

        VerificationResult.Failed failed = assertInstanceOf(VerificationResult.Failed.class, verifyThrough(gateway));

        assertTrue(failed.failure().circuitOpen());
        assertEquals(2, gateway.checks, "the flow asked twice");
        assertEquals(1, failed.attempts(), "one call went out; the open circuit sent nothing");
    }

    @Test
    void anInvocationThatMeetsAnOpenCircuitMadeNoCall() {
        ScriptedGateway gateway = new ScriptedGateway(List.of(openCircuit()));

        VerificationResult.Failed failed = assertInstanceOf(VerificationResult.Failed.class, verifyThrough(gateway));

        assertTrue(failed.failure().circuitOpen());
        assertEquals(0, failed.attempts(), "nothing was sent");
    }

    private static UpstreamAnswer openCircuit() {
        return new UpstreamAnswer.Refused(Failure.of(ErrorType.UPSTREAM_UNAVAILABLE, "open").withCircuitOpen(),
                UpstreamAnswer.RefusalKind.CIRCUIT_OPEN, null);
    }

    /** The live token source and records, and a gateway that answers from a list (its last answer repeats). */
    private VerificationResult verifyThrough(VerificationGateway fixed) {
        VerificationFlow flow = new VerificationFlow(config, rule, tokens, fixed, records, spend, reuse, TimeSource.SYSTEM,
                Tracing.NONE);
        return flow.verify(new VerificationRequest(NAME, MOBILE, Language.EN, "c"),
                new Invocation("r", "c", System.nanoTime(), Deadline.of(TimeSource.SYSTEM, System.nanoTime(), 5_000,
                        config.deadlineMargin(), config.minAttemptTime())));
    }

    private static final class ScriptedGateway implements VerificationGateway {
        private final List<UpstreamAnswer> answers;
        int checks;

        ScriptedGateway(List<UpstreamAnswer> answers) {
            this.answers = answers;
        }

        @Override
        public UpstreamAnswer check(UpstreamCall call, Duration timeout) {
            return answers.get(Math.min(checks++, answers.size() - 1));
        }

        @Override
        public boolean requiresToken() {
            return true;
        }
    }

    @Test
    void secretsManagerThrottlingThenSuccess() {
        FakeApis.secretsManager().resetAll();
        FakeApis.secretsManager().stubFor(SecretsManagerStubs.getSecretValue().inScenario("throttle")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(SecretsManagerStubs.awsError(400, "ThrottlingException")).willSetStateTo("ok"));
        FakeApis.secretsManager().stubFor(SecretsManagerStubs.getSecretValue().inScenario("throttle")
                .whenScenarioStateIs("ok").willReturn(SecretsManagerStubs.secretString(
                        TestPeople.TOKEN)));
        ApiStubs.answer(ApiStubs.result("0"));

        JsonNode out = Lambda.direct(Events.direct(NAME, MOBILE));

        assertEquals("CONSISTENT", out.path("status").asText());
        assertEquals(2, SecretsManagerStubs.calls());
    }

    @Test
    void secretsManagerDownIsARetryableFailureAfterThreeTries() {
        FakeApis.secretsManager().resetAll();
        FakeApis.secretsManager().stubFor(SecretsManagerStubs.getSecretValue()
                .willReturn(SecretsManagerStubs.awsError(500, "InternalServiceError")));
        ApiStubs.answer(ApiStubs.result("0"));

        Lambda.FunctionError failure = Lambda.directFailure(Events.direct(NAME, MOBILE));

        assertEquals(SecretsUnavailableException.class.getName(), failure.errorType());
        assertEquals("SECRETS_UNAVAILABLE", failure.error().path("type").asText());
        assertTrue(failure.error().path("retryable").asBoolean(), "no paid call was made");
        assertEquals(3, SecretsManagerStubs.calls());
        assertEquals(0, ApiStubs.calls().size());
    }

    @Test
    void aSlowSecretsManagerIsBoundedByTheDeadline() {
        FakeApis.secretsManager().resetAll();
        FakeApis.secretsManager().stubFor(SecretsManagerStubs.getSecretValue()
                .willReturn(SecretsManagerStubs.secretString(TestPeople.TOKEN).withFixedDelay(1_500)));
        ApiStubs.answer(ApiStubs.result("0"));

        Timed<SecretsUnavailableException> failure = invokeWith(2_000, SecretsUnavailableException.class);

        assertTrue(failure.elapsedMs() < 1_500, "answered before the deadline margin: " + failure.elapsedMs() + " ms");
        assertTrue(failure.thrown().failure().retryable());
        assertEquals(0, ApiStubs.calls().size());
    }

    @Test
    void theRefreshAfterARejectionLateInTheInvocationIsBoundedToo() {
        FakeApis.secretsManager().resetAll();
        SecretsManagerStubs.firstThen(SecretsManagerStubs.secretString(TestPeople.TOKEN),
                SecretsManagerStubs.secretString(TestPeople.TOKEN).withFixedDelay(3_000));
        ApiStubs.answer(ApiStubs.error(401, "invalid_token"));

        Timed<SecretsUnavailableException> failure = invokeWith(2_500, SecretsUnavailableException.class);

        assertTrue(failure.elapsedMs() < 2_000, "answered before the deadline margin: " + failure.elapsedMs() + " ms");
        assertEquals(1, ApiStubs.calls().size());
    }

    @Test
    void aFailedRefreshAfterARejectionReportsTheCallThatWasMade() {
        FakeApis.secretsManager().resetAll();
        SecretsManagerStubs.firstThen(SecretsManagerStubs.secretString(TestPeople.TOKEN),
                SecretsManagerStubs.awsError(400, "AccessDeniedException"));
        ApiStubs.answer(ApiStubs.error(401, "invalid_token"));

        VerificationResult result = flow().verify(new VerificationRequest(NAME, MOBILE, Language.EN, "c"),
                new Invocation("r", "c", System.nanoTime(), Deadline.of(TimeSource.SYSTEM, System.nanoTime(), 5_000,
                        config.deadlineMargin(), config.minAttemptTime())));

        VerificationResult.Failed failed = assertInstanceOf(VerificationResult.Failed.class, result);
        assertEquals(ErrorType.CONFIGURATION, failed.failure().type());
        assertEquals(1, failed.attempts(), "one call went out before the secret could not be re-read");
        assertEquals(1, ApiStubs.calls().size());
        assertEquals(2, SecretsManagerStubs.calls());
    }

    /** A thrown failure and how long the invocation took to throw it. */
    private record Timed<T>(T thrown, long elapsedMs) {
    }

    /**
     * A direct invocation through the handler with a real Lambda deadline {@code remainingMs} away, which must fail
     * with {@code expected}; its message must be the published error shape.
     */
    private <T extends VerificationException> Timed<T> invokeWith(long remainingMs, Class<T> expected) {
        byte[] event = Events.direct(NAME, MOBILE).getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        T thrown = assertThrows(expected, () -> handler.handleRequest(new ByteArrayInputStream(event),
                new ByteArrayOutputStream(), new LocalLambdaContext("req-" + java.util.UUID.randomUUID(), remainingMs,
                        System::nanoTime)));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        OutputSchema.requireValid(parse(thrown.getMessage()));
        return new Timed<>(thrown, elapsedMs);
    }

    private VerificationFlow flow() {
        return new VerificationFlow(config, rule, tokens, gateway, records, spend, reuse, TimeSource.SYSTEM,
                Tracing.NONE);
    }

    private static JsonNode parse(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
