package cloud.phonematch.verify.handler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.node.TextNode;

import cloud.phonematch.verify.observability.InvocationSummary;
import cloud.phonematch.verify.observability.MetricsSettings;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.priming.LocalRehearsal;
import cloud.phonematch.verify.priming.Placeholders;
import cloud.phonematch.verify.verification.ApiToken;
import cloud.phonematch.verify.verification.AttemptSettings;
import cloud.phonematch.verify.verification.Caller;
import cloud.phonematch.verify.verification.ChargeRule;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.ResultReuse;
import cloud.phonematch.verify.verification.SpendGuard;
import cloud.phonematch.verify.verification.TimeSource;
import cloud.phonematch.verify.verification.TokenSource;
import cloud.phonematch.verify.verification.Tracing;
import cloud.phonematch.verify.verification.UpstreamAnswer;
import cloud.phonematch.verify.verification.UpstreamCall;
import cloud.phonematch.verify.verification.Verdict;
import cloud.phonematch.verify.verification.VerificationFlow;
import cloud.phonematch.verify.verification.VerificationGateway;
import cloud.phonematch.verify.verification.VerificationRecords;
import cloud.phonematch.verify.verification.VerificationResult;

/**
 * Whole invocations, in process: the handler's own code from an event's bytes to the answer's bytes (the event's kind,
 * the adapter, the request's fields, the flow with its claim, pre-check, reuse check, token, budget reservation,
 * attempts under the charge rule and settle, the answer, the summary's fields and line) on a handler and flow of its
 * own, whose services are placeholders that answer at once: the API consistent, a claim granted, no kept answer, the
 * budget reserved. The parts that talk to the services over the network are rehearsed by their own packages against
 * the loopback server ({@code ServiceRehearsal}); this covers what lies between them.
 * <p>
 * Why: otherwise the first caller is the first to run this code, interpreted, and to bootstrap each of its
 * pattern-matching {@code switch}es (a class generated at first use, which an AOT cache does not hold), at the share
 * of a vCPU the function's memory buys rather than the full vCPU of an on-demand init.
 * <p>
 * Nothing leaves the process and nothing is written: the summary is {@linkplain InvocationSummary#silent silent},
 * tracing is off, and the function's own flow, clients, circuit, records and budget are not touched (none of them is
 * reachable from here). Placeholders only.
 */
@Singleton
public class InvocationRehearsal implements LocalRehearsal {
    private static final Logger LOG = Logger.getLogger(InvocationRehearsal.class);
    /** An HTTP API call with an idempotency key: the keyed path (claim, verify, settle) and the HTTP answer. */
    private static final String HTTP_V2_KEYED = "{\"version\":\"2.0\",\"rawPath\":\"/verifications\","
            + "\"headers\":{\"accept-language\":\"zh\",\"idempotency-key\":\"" + Placeholders.ID + "\"},"
            + "\"requestContext\":{\"http\":{\"method\":\"POST\",\"path\":\"/verifications\","
            + "\"sourceIp\":\"192.0.2.1\"},\"stage\":\"$default\"},"
            + "\"body\":" + quoted(EventPathRehearsal.DIRECT_EVENT) + ",\"isBase64Encoded\":false}";
    /** A REST API call whose number the pre-check refuses: answered locally (INVALID_MOBILE), never a call. */
    private static final String HTTP_V1_REFUSED = "{\"resource\":\"/verifications\",\"path\":\"/verifications\","
            + "\"httpMethod\":\"POST\",\"headers\":{},\"requestContext\":{\"identity\":{\"sourceIp\":\"192.0.2.1\"}},"
            + "\"body\":" + quoted("{\"name\":\"" + Placeholders.NAME + "\",\"mobile\":\"12\"}")
            + ",\"isBase64Encoded\":false}";
    /** The HTTP API call, a direct invocation (a Step Functions task) and the refused REST API call, in that order. */
    static final List<String> EVENTS = List.of(HTTP_V2_KEYED, EventPathRehearsal.DIRECT_EVENT, HTTP_V1_REFUSED);
    static final int ROUNDS = 3;
    /** The time a rehearsed invocation is given, as Lambda's context would say it. */
    private static final int REMAINING_MILLIS = 30_000;

    private final VerificationHandler handler = new VerificationHandler();

    public InvocationRehearsal(AttemptSettings attempts, ChargeRule rule, TimeSource time, MetricsSettings metrics,
            Clock clock) {
        VerificationFlow flow = new VerificationFlow(attempts, rule, PLACEHOLDER_TOKEN, PLACEHOLDER_API,
                GRANTING_RECORDS, RESERVING_BUDGET, NOTHING_KEPT, time, Tracing.NONE);
        InvocationRunner runner = new InvocationRunner(flow, InvocationSummary.silent(metrics, clock, time));
        handler.http = new HttpAdapter(runner);
        handler.direct = new DirectAdapter(runner);
        handler.config = attempts;
        handler.time = time;
    }

    @Override
    public void rehearse() {
        answers();
    }

    /**
     * A few rounds: what the first caller would otherwise pay (the switches' bootstraps, first-use class initialization)
     * is paid in the first; the hot paths inside are the other local paths', which run every round.
     */
    @Override
    public int rounds(int rounds) {
        return Math.min(rounds, ROUNDS);
    }

    /** Each event once, through the rehearsal's handler: the answers' bytes as UTF-8 (one per event that answered). */
    List<String> answers() {
        List<String> answers = new ArrayList<>(EVENTS.size());
        for (String event : EVENTS) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, CONTEXT);
                answers.add(out.toString(StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                LOG.debugf("rehearsing an invocation failed: %s", e.getClass().getSimpleName());
            }
        }
        return answers;
    }

    /** {@code json} as a JSON string, as API Gateway puts a request's body in its event. */
    private static String quoted(String json) {
        return TextNode.valueOf(json).toString();
    }

    private static final TokenSource PLACEHOLDER_TOKEN = new TokenSource() {
        @Override
        public ApiToken current(Deadline deadline) {
            return new ApiToken(Placeholders.TOKEN);
        }

        @Override
        public Optional<ApiToken> refreshAfterRejection(ApiToken rejected, Deadline deadline) {
            return Optional.empty();
        }
    };

    /** The API as the live gateway reads a consistent answer. */
    private static final VerificationGateway PLACEHOLDER_API = new VerificationGateway() {
        @Override
        public UpstreamAnswer check(UpstreamCall call, Duration timeout) {
            return UpstreamAnswer.of(ResultCode.CONSISTENT, Placeholders.ID);
        }

        @Override
        public boolean requiresToken() {
            return true;
        }
    };

    private static final VerificationRecords GRANTING_RECORDS = new VerificationRecords() {
        @Override
        public Claim claim(KeyedRequest request, Deadline deadline) {
            return new Claim.Granted(request.idempotencyKey(), Placeholders.ID, 1, Placeholders.ID);
        }

        @Override
        public void settle(Claim.Granted claim, VerificationResult result, Deadline deadline) {
        }
    };

    private static final SpendGuard RESERVING_BUDGET = new SpendGuard() {
        @Override
        public Reservation reserve(Caller caller, Deadline deadline) {
            return new Reservation.Reserved(List.of(Placeholders.ID));
        }

        @Override
        public void release(Reservation.Reserved reservation, Deadline deadline) {
        }
    };

    private static final ResultReuse NOTHING_KEPT = new ResultReuse() {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public Optional<Verdict> recent(String name, String mobile, Deadline deadline) {
            return Optional.empty();
        }

        @Override
        public void remember(String name, String mobile, Verdict verdict, Deadline deadline) {
        }
    };

    /** Lambda's context for one rehearsed invocation: its request id and the time it has left. */
    private static final Context CONTEXT = new Context() {
        @Override
        public String getAwsRequestId() {
            return Placeholders.ID;
        }

        @Override
        public String getLogGroupName() {
            return Placeholders.ID;
        }

        @Override
        public String getLogStreamName() {
            return Placeholders.ID;
        }

        @Override
        public String getFunctionName() {
            return Placeholders.ID;
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return Placeholders.ID;
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return REMAINING_MILLIS;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 512;
        }

        @Override
        public LambdaLogger getLogger() {
            return null;
        }
    };
}
