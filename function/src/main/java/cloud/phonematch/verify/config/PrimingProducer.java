package cloud.phonematch.verify.config;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import cloud.phonematch.verify.priming.FunctionClient;
import cloud.phonematch.verify.priming.RequestPathParts;
import cloud.phonematch.verify.priming.ServiceRehearsal;
import cloud.phonematch.verify.records.ClaimAndSettleRehearsal;
import cloud.phonematch.verify.records.RecordStore;
import cloud.phonematch.verify.records.RecordsSettings;
import cloud.phonematch.verify.secrets.SecretReadRehearsal;
import cloud.phonematch.verify.secrets.SecretsManagerAccess;
import cloud.phonematch.verify.upstream.ApiCallRehearsal;
import cloud.phonematch.verify.upstream.ApiSettings;
import cloud.phonematch.verify.upstream.VerificationApiClientFactory;

/**
 * The request path the priming rehearses is the one wired here: with the live API, the token's read, the records'
 * claim and settle when they are on the shared table ({@link RecordsProducer}'s rule), and the API's call, with the
 * function's own clients for each (Secrets Manager's, the records table's, the API's); with the sandbox, none.
 */
@ApplicationScoped
public class PrimingProducer {

    @Produces
    @Singleton
    RequestPathParts requestPath(ApiSettings api, RecordsSettings records, Instance<SecretReadRehearsal> secretRead,
            Instance<ClaimAndSettleRehearsal> claimAndSettle, Instance<ApiCallRehearsal> apiCall,
            Instance<SecretsManagerAccess> secrets, Instance<RecordStore> store,
            Instance<VerificationApiClientFactory> apiClient) {
        List<ServiceRehearsal> parts = new ArrayList<>();
        List<FunctionClient> clients = new ArrayList<>();
        if (api.upstream() == ApiSettings.Upstream.LIVE) {
            parts.add(secretRead.get());
            clients.add(secrets.get());
            if (RecordsProducer.shared(api, records)) {
                parts.add(claimAndSettle.get());
                if (store.get() instanceof FunctionClient shared) {
                    clients.add(shared);
                }
            }
            parts.add(apiCall.get());
            clients.add(apiClient.get());
        }
        return new RequestPathParts(parts, clients);
    }
}
