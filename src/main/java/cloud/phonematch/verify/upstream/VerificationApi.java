package cloud.phonematch.verify.upstream;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The Mobile Number Two-Factor Verification API, declared. Built by {@link VerificationApiClientFactory} with
 * connect and read timeouts always set and the default exception mapper off: every status comes back as a
 * {@link Response} so {@link UpstreamReplyTable} alone decides what it means.
 */
@Path("/identity/phone/check-2e")
public interface VerificationApi {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response check(@HeaderParam("authorization") String authorization,
            @HeaderParam("x-request-id") String correlationId,
            CheckRequest body);
}
