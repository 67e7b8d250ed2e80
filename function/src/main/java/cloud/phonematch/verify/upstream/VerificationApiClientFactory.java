package cloud.phonematch.verify.upstream;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import cloud.phonematch.verify.verification.AttemptSettings;
import cloud.phonematch.verify.http.RestClients;
import cloud.phonematch.verify.priming.FunctionClient;

/**
 * Builds the REST client from {@link ApiSettings} and {@link AttemptSettings} on first use, or at the end of an init no
 * snapshot follows ({@link FunctionClient}), so its timeouts come from the same settings as the rest of the function
 * and no connection exists before the first invocation.
 */
@ApplicationScoped
public class VerificationApiClientFactory implements AutoCloseable, FunctionClient {
    private final ApiSettings settings;
    private final AttemptSettings attempts;
    /** Null: the API's own base URL ({@code VERIFY_API_BASE_URL}), read when the client is built. */
    private final URI baseUri;
    private VerificationApi api;

    @Inject
    public VerificationApiClientFactory(ApiSettings api, AttemptSettings attempts) {
        this(api, attempts, null);
    }

    private VerificationApiClientFactory(ApiSettings api, AttemptSettings attempts, URI baseUri) {
        this.settings = api;
        this.attempts = attempts;
        this.baseUri = baseUri;
    }

    /**
     * A client of the API's interface, with the same timeouts, for another base URL: the priming's, against its
     * loopback server. Whoever makes one closes it.
     */
    static VerificationApiClientFactory at(URI baseUri, ApiSettings api, AttemptSettings attempts) {
        return new VerificationApiClientFactory(api, attempts, baseUri);
    }

    public synchronized VerificationApi api() {
        if (api == null) {
            api = RestClients.build(VerificationApi.class, baseUri != null ? baseUri : URI.create(settings.apiBaseUrl()),
                    settings.connectTimeout(), attempts.attemptTimeout());
        }
        return api;
    }

    /** Builds the client for the API's base URL, without a connection. */
    @Override
    public void setUp() {
        api();
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
