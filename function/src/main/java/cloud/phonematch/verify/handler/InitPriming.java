package cloud.phonematch.verify.handler;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.observability.InvocationSummary;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.FailureJson;
import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.output.VerificationStatus;
import cloud.phonematch.verify.precheck.MobileNumbers;
import cloud.phonematch.verify.precheck.PersonNames;
import cloud.phonematch.verify.priming.LambdaInit;
import cloud.phonematch.verify.priming.RequestPathPriming;
import cloud.phonematch.verify.priming.SnapStartHooks;
import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.StartupEvent;

/**
 * Work done during init, before the first invocation, so that callers after a cold start do not pay it: the
 * local code paths of an invocation — the JSON mapper on every shape the function reads and writes, the
 * pre-check with libphonenumber's China metadata and carrier tables, the output JSON, the summary line's
 * formatting and the EMF object (neither written) — run {@value #ROUNDS} times,
 * enough for Lambda's C1-only JIT to compile them (after 60 calls with the template's
 * {@code -XX:CompileThresholdScaling=0.3}), and the classes of the first call's libraries are loaded and initialized;
 * then the request path of a live invocation end to end against a loopback server ({@link RequestPathPriming}: in an
 * on-demand init too, whose full CPU runs it several times faster than the first invocation's share would; before a
 * SnapStart snapshot the snapshot hook does it instead, {@link SnapStartHooks}, which this registers in such an init).
 * One after the other: the function's class loader loads one class at a time, so a second thread would not help.
 * <p>
 * Why: the early warm invocations are where the warm p99 is made, and the first invocation runs on a share of a CPU
 * (BENCHMARKS.md, "the first caller's wait", has the figures). On SnapStart both run before the snapshot, so restored
 * containers start primed.
 * <p>
 * What it never does: no call beyond the loopback server, no real Secrets Manager read, no token, none of the
 * function's own HTTP or SDK clients built — a snapshot must hold nothing secret and nothing connection-bound — and it
 * logs no personal data: the values are placeholders. It logs one line, with the counts and the time taken.
 */
@Singleton
public class InitPriming {
    static final int ROUNDS = 100;
    private final InvocationSummary summary;
    private final RequestPathPriming requestPath;
    private final SnapStartHooks snapStart;

    public InitPriming(InvocationSummary summary, RequestPathPriming requestPath, SnapStartHooks snapStart) {
        this.summary = summary;
        this.requestPath = requestPath;
        this.snapStart = snapStart;
    }

    private static final Logger LOG = Logger.getLogger(InitPriming.class);

    /** Library classes the first invocation needs, loaded and initialized without being used. */
    static final List<String> FIRST_CALL_CLASSES = List.of(
            "io.quarkus.rest.client.reactive.QuarkusRestClientBuilder",
            "org.jboss.resteasy.reactive.client.impl.ClientImpl",
            "org.jboss.resteasy.reactive.client.handlers.ClientSendRequestHandler",
            "io.vertx.core.http.impl.HttpClientImpl",
            "io.smallrye.mutiny.Uni",
            "io.smallrye.faulttolerance.api.TypedGuard",
            "software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner",
            "software.amazon.awssdk.services.secretsmanager.endpoints.SecretsManagerEndpointProvider",
            "software.amazon.awssdk.http.SdkHttpRequest",
            "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider",
            "software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider",
            "software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain");

    void primeAtStartup(@Observes StartupEvent event) {
        long start = System.nanoTime();
        if (requestPath.init() == LambdaInit.SNAP_START) {
            // Only then is there a snapshot to prime for and a restore to follow.
            snapStart.register();
        }
        preloadFirstCallClasses();
        // A native executable has no JIT to feed: one round loads libphonenumber's tables, which is all it needs.
        int rounds = ImageMode.current() == ImageMode.NATIVE_RUN ? 1 : ROUNDS;
        for (int i = 0; i < rounds; i++) {
            prime();
        }
        boolean requestPathPrimed = requestPath.atStartup().isPresent();
        LOG.infof("primed the local paths %d times%s in %d ms", rounds,
                requestPathPrimed ? " and the request path against a loopback server" : "",
                (System.nanoTime() - start) / 1_000_000);
    }

    private static void preloadFirstCallClasses() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (String name : FIRST_CALL_CLASSES) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                LOG.debugf("not preloaded: %s", name);
            }
        }
    }

    /** Exercises the local code paths on placeholder values that are not personal data. */
    void prime() {
        String event = "{\"version\":\"2.0\",\"rawPath\":\"/verifications\",\"headers\":{\"accept-language\":\"zh\"},"
                + "\"requestContext\":{\"http\":{\"method\":\"POST\",\"path\":\"/verifications\"},\"stage\":\"$default\"},"
                + "\"body\":\"{\\\"name\\\":\\\"测试\\\",\\\"mobile\\\":\\\"13800000000\\\"}\",\"isBase64Encoded\":false}";
        try {
            JsonNode node = Json.STRICT_READER.readTree(event.getBytes(StandardCharsets.UTF_8));
            HttpRequestView view = HttpRequestView.fromV2(node);
            RequestFields.read(Json.STRICT_READER.readTree(view.body()),
                    Language.fromAcceptLanguage(view.header("accept-language")), "prime");
            EventSource.of(node);
            JsonNode direct = Json.STRICT_READER.readTree("{\"name\":\"测试\",\"mobile\":\"13800000000\"}");
            EventSource.of(direct);
            RequestFields.read(direct, Language.EN, "prime");
        } catch (Exception e) {
            LOG.debugf("priming the JSON paths failed: %s", e.getClass().getSimpleName());
        }
        String mobile = MobileNumbers.normalize("+86 138-0000-0000");
        MobileNumbers.isValidMainlandMobile(mobile);
        MobileNumbers.carrier(mobile, Locale.ENGLISH);
        MobileNumbers.carrier(mobile, Locale.SIMPLIFIED_CHINESE);
        PersonNames.isValid(PersonNames.normalize("测试 · Test"));
        Json.write(new Outcome(VerificationStatus.CONSISTENT, ResultCode.CONSISTENT, "", MobileNumbers.mask(mobile),
                null, Outcome.AnsweredBy.API, 1, "prime", "prime", null, 0, null).toJson());
        FailureJson.render(Failure.of(ErrorType.UPSTREAM_UNAVAILABLE, "prime"), "prime");
        summary.primeFormatting();
    }
}
