package cloud.phonematch.verify.config;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import cloud.phonematch.verify.priming.RequestPathParts;
import cloud.phonematch.verify.priming.ServiceRehearsal;
import cloud.phonematch.verify.records.ClaimAndSettleRehearsal;
import cloud.phonematch.verify.records.RecordsSettings;
import cloud.phonematch.verify.secrets.SecretReadRehearsal;
import cloud.phonematch.verify.upstream.ApiCallRehearsal;
import cloud.phonematch.verify.upstream.ApiSettings;

/**
 * The request path the priming rehearses is the one wired here: with the live API, the token's read, the records'
 * claim and settle when they are on the shared table ({@link RecordsProducer}'s rule), and the API's call; with the
 * sandbox, none.
 */
@ApplicationScoped
public class PrimingProducer {

    @Produces
    @Singleton
    RequestPathParts requestPath(ApiSettings api, RecordsSettings records, Instance<SecretReadRehearsal> secretRead,
            Instance<ClaimAndSettleRehearsal> claimAndSettle, Instance<ApiCallRehearsal> apiCall) {
        List<ServiceRehearsal> parts = new ArrayList<>();
        if (api.upstream() == ApiSettings.Upstream.LIVE) {
            parts.add(secretRead.get());
            if (RecordsProducer.shared(api, records)) {
                parts.add(claimAndSettle.get());
            }
            parts.add(apiCall.get());
        }
        return new RequestPathParts(parts);
    }
}
