package cloud.phonematch.verify.upstream;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import cloud.phonematch.verify.config.VerifyConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * Builds the REST client from {@link VerifyConfig} on first use, so its timeouts come from the same
 * settings as the rest of the function and no connection exists before the first invocation.
 */
@ApplicationScoped
public class VerificationApiClientFactory {
    private final VerifyConfig config;
    private VerificationApi api;

    public VerificationApiClientFactory(VerifyConfig config) {
        this.config = config;
    }

    public synchronized VerificationApi api() {
        if (api == null) {
            api = QuarkusRestClientBuilder.newBuilder()
                    .baseUri(URI.create(config.apiBaseUrl()))
                    .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .readTimeout(config.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .disableDefaultMapper(true)
                    .build(VerificationApi.class);
        }
        return api;
    }
}
