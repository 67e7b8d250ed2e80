package cloud.phonematch.verify.secrets;

import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Retry;

import cloud.phonematch.verify.config.VerifyConfig;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Reads secrets through a Secrets Manager client built once, on first use — never during init, so no
 * connection or credentials are captured in a SnapStart snapshot.
 * <p>
 * As in Powertools' parameters module: the URL-connection HTTP client (no Netty, no Apache client), region
 * from {@code AWS_REGION} and, in an on-demand environment, credentials from the environment Lambda sets for the
 * function's role ({@link LambdaSdkSettings}; elsewhere the standard chains), endpoint from the standard
 * settings ({@code AWS_ENDPOINT_URL_SECRETS_MANAGER} / {@code AWS_ENDPOINT_URL}). The SDK's own retries are
 * off: the one retry policy is the annotation below, where it can be read.
 */
@ApplicationScoped
public class SecretsManagerAccess {
    private final VerifyConfig config;
    private SecretsManagerClient client;

    public SecretsManagerAccess(VerifyConfig config) {
        this.config = config;
    }

    /**
     * The secret's SecretString (null when it only has a SecretBinary).
     * <p>
     * Fault tolerance: each call is bounded by {@code VERIFY_SECRET_TIMEOUT}; when Secrets Manager throttles,
     * fails with a 5xx or cannot be reached, the call is repeated up to twice more, 100 ms apart (±100 ms
     * jitter), within 3 s in all — a read is free and idempotent, so repeating it is always safe. A missing
     * secret or a denied read is not repeated: only a person can fix those. These failures never count toward
     * the verification API's circuit breaker.
     *
     * @throws SecretsManagerBusy when it stayed unavailable
     * @throws SecretsManagerException for a refusal that repeating cannot fix
     */
    @Retry(maxRetries = 2, delay = 100, jitter = 100, maxDuration = 3000, retryOn = SecretsManagerBusy.class)
    public String secretString(String secretId) {
        try {
            return client().getSecretValue(b -> b.secretId(secretId)).secretString();
        } catch (SecretsManagerException e) {
            if (isTransient(e)) {
                throw new SecretsManagerBusy(e.statusCode() + " " + errorCode(e));
            }
            throw e;
        } catch (SdkClientException e) {
            // Connection failures and timeouts; the message is not kept (it may name hosts or payloads).
            throw new SecretsManagerBusy(e.getClass().getSimpleName());
        }
    }

    static String errorCode(SecretsManagerException e) {
        return e.awsErrorDetails() == null ? "unknown" : e.awsErrorDetails().errorCode();
    }

    private static boolean isTransient(SecretsManagerException e) {
        return e.statusCode() >= 500 || e.isThrottlingException() || "ThrottlingException".equals(errorCode(e));
    }

    private synchronized SecretsManagerClient client() {
        if (client == null) {
            client = build();
        }
        return client;
    }

    private SecretsManagerClient build() {
        var timeout = config.secretTimeout();
        var builder = SecretsManagerClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(timeout)
                        .socketTimeout(timeout)
                        .build())
                .overrideConfiguration(o -> o
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(timeout)
                        .apiCallTimeout(timeout));
        Map<String, String> env = System.getenv();
        LambdaSdkSettings.region(env).ifPresent(builder::region);
        LambdaSdkSettings.credentials(env).ifPresent(builder::credentialsProvider);
        return builder.build();
    }

    @PreDestroy
    synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
