package cloud.phonematch.verify.handler;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.FailureJson;
import cloud.phonematch.verify.output.Json;
import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.output.VerificationStatus;
import cloud.phonematch.verify.precheck.MobileNumbers;
import cloud.phonematch.verify.precheck.PersonNames;
import io.quarkus.runtime.StartupEvent;

/**
 * Work done once before a SnapStart snapshot (JVM runtime with SnapStart), so that restored containers do not
 * pay it on their first invocation: the JSON mapper is exercised on every shape the function reads and
 * writes, libphonenumber loads China's metadata and carrier tables, and the classes of the first call are
 * loaded and initialized.
 * <p>
 * What it never does: no network call, no Secrets Manager read, no token, no HTTP or SDK client built — a
 * snapshot must hold nothing secret and nothing connection-bound. It runs from CRaC's
 * {@code beforeCheckpoint}, which only SnapStart invokes; an ordinary cold start skips it, so on-demand init is
 * not made longer. Quarkus's own SnapStart support ({@code quarkus.snapstart.*}) additionally preloads the
 * application's classes.
 */
@Singleton
public class SnapStartPriming implements Resource {
    private static final Logger LOG = Logger.getLogger(SnapStartPriming.class);

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

    void register(@Observes StartupEvent event) {
        // A no-op outside a CRaC-capable runtime (tests, dev mode, on-demand Lambda).
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long start = System.nanoTime();
        prime();
        LOG.infof("primed for the snapshot in %d ms", (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to rebuild: no connection, token or random state was created before the snapshot.
    }

    /** Exercises the local code paths on placeholder values that are not personal data. */
    void prime() {
        String event = "{\"version\":\"2.0\",\"rawPath\":\"/verifications\",\"headers\":{\"accept-language\":\"zh\"},"
                + "\"requestContext\":{\"http\":{\"method\":\"POST\",\"path\":\"/verifications\"},\"stage\":\"$default\"},"
                + "\"body\":\"{\\\"name\\\":\\\"测试\\\",\\\"mobile\\\":\\\"13800000000\\\"}\",\"isBase64Encoded\":false}";
        try {
            JsonNode node = Json.MAPPER.readTree(event.getBytes(StandardCharsets.UTF_8));
            HttpRequestView view = HttpRequestView.fromV2(node);
            RequestFields.read(Json.MAPPER.readTree(view.body()), Language.fromAcceptLanguage(view.header("accept-language")),
                    "prime");
            EventSource.of(node);
        } catch (Exception e) {
            LOG.debugf("priming the JSON paths failed: %s", e.getClass().getSimpleName());
        }
        String mobile = MobileNumbers.normalize("+86 138-0000-0000");
        MobileNumbers.isValidMainlandMobile(mobile);
        MobileNumbers.carrier(mobile, Locale.ENGLISH);
        MobileNumbers.carrier(mobile, Locale.SIMPLIFIED_CHINESE);
        PersonNames.isValid(PersonNames.normalize("测试 · Test"));
        Json.write(new Outcome(VerificationStatus.CONSISTENT, ResultCode.CONSISTENT, "", MobileNumbers.mask(mobile),
                null, Outcome.AnsweredBy.API, 1, "prime", "prime", null, 0).toJson());
        FailureJson.render(Failure.of(ErrorType.UPSTREAM_UNAVAILABLE, "prime"), "prime");
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (String name : FIRST_CALL_CLASSES) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                LOG.debugf("not preloaded: %s", name);
            }
        }
    }
}
