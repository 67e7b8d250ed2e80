package cloud.phonematch.verify.secrets;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import cloud.phonematch.verify.config.VerifyConfig;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Builds the Secrets Manager client once, on first use — never during init, so no connection or
 * credentials are captured in a SnapStart snapshot.
 * <p>
 * As in Powertools' parameters module: the URL-connection HTTP client (no Netty, no Apache client), region
 * and credentials from the standard AWS chain ({@code AWS_REGION}, the Lambda role), endpoint from the
 * standard settings ({@code AWS_ENDPOINT_URL_SECRETS_MANAGER} / {@code AWS_ENDPOINT_URL}). The SDK's
 * standard retry mode retries throttling with backoff inside the short per-call budget.
 */
@ApplicationScoped
public class SecretsManagerAccess {
    private final VerifyConfig config;
    private volatile SecretsManagerClient client;

    public SecretsManagerAccess(VerifyConfig config) {
        this.config = config;
    }

    public SecretsManagerClient client() {
        SecretsManagerClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = build();
                    client = c;
                }
            }
        }
        return c;
    }

    private SecretsManagerClient build() {
        var timeout = config.secretTimeout();
        return SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(timeout)
                        .socketTimeout(timeout)
                        .build())
                .overrideConfiguration(o -> o
                        .retryStrategy(RetryMode.STANDARD)
                        .apiCallAttemptTimeout(timeout)
                        .apiCallTimeout(timeout.multipliedBy(2)))
                .build();
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }
}
