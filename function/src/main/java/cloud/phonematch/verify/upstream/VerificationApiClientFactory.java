package cloud.phonematch.verify.upstream;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import cloud.phonematch.verify.config.VerifyConfig;
import cloud.phonematch.verify.http.RestClients;

/**
 * Builds the REST client from {@link VerifyConfig} on first use, so its timeouts come from the same
 * settings as the rest of the function and no connection exists before the first invocation.
 */
@ApplicationScoped
public class VerificationApiClientFactory implements AutoCloseable {
    private final VerifyConfig config;
    /** Null: the API's own base URL ({@code VERIFY_API_BASE_URL}), read when the client is built. */
    private final URI baseUri;
    private VerificationApi api;

    @Inject
    public VerificationApiClientFactory(VerifyConfig config) {
        this(config, null);
    }

    private VerificationApiClientFactory(VerifyConfig config, URI baseUri) {
        this.config = config;
        this.baseUri = baseUri;
    }

    /**
     * A client of the API's interface, with the same timeouts, for another base URL: the priming's, against its
     * loopback server. Whoever makes one closes it.
     */
    public static VerificationApiClientFactory at(URI baseUri, VerifyConfig config) {
        return new VerificationApiClientFactory(config, baseUri);
    }

    public synchronized VerificationApi api() {
        if (api == null) {
            api = RestClients.build(VerificationApi.class, baseUri != null ? baseUri : URI.create(config.apiBaseUrl()),
                    config.connectTimeout(), config.attemptTimeout());
        }
        return api;
    }

    /** Whether the client has been built (and so may hold connections). */
    public synchronized boolean built() {
        return api != null;
    }

    /** Closes the client, if one was built, and with it its connections. */
    @Override
    public synchronized void close() {
        RestClients.close(api);
        api = null;
    }
}
