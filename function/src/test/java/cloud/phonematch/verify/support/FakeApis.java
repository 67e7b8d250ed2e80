package cloud.phonematch.verify.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the two fakes the function talks to, on free local ports: the verification API and Secrets
 * Manager (AWS JSON 1.1 protocol). The function finds Secrets Manager through the SDK's standard endpoint
 * setting, exactly as it would find a VPC endpoint or LocalStack in real life.
 */
public class FakeApis implements QuarkusTestResourceLifecycleManager {
    public static final String SECRET_ID = "phonematch/verify-api-token";

    private static WireMockServer api;
    private static WireMockServer secretsManager;

    public static WireMockServer api() {
        return api;
    }

    public static WireMockServer secretsManager() {
        return secretsManager;
    }

    @Override
    public Map<String, String> start() {
        // Quiet notifiers: WireMock would otherwise print unmatched request bodies (test names and numbers)
        // into the very output the privacy gate scans for the function's own leaks.
        api = new WireMockServer(options().dynamicPort().containerThreads(16).notifier(new QuietNotifier())
                .extensions(new DecryptingApi()));
        secretsManager = new WireMockServer(options().dynamicPort().notifier(new QuietNotifier()));
        api.start();
        secretsManager.start();
        // The AWS SDK reads these standard settings (system-property forms of AWS_REGION,
        // AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_ENDPOINT_URL_SECRETS_MANAGER).
        System.setProperty("aws.region", "cn-north-1");
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLETEST");
        System.setProperty("aws.secretAccessKey", "test-secret-access-key");
        System.setProperty("aws.endpointUrlSecretsManager", secretsManager.baseUrl());
        return Map.of(
                "verify.api-base-url", api.baseUrl(),
                "verify.token-secret-id", SECRET_ID);
    }

    @Override
    public void stop() {
        if (api != null) {
            api.stop();
        }
        if (secretsManager != null) {
            secretsManager.stop();
        }
    }
}
