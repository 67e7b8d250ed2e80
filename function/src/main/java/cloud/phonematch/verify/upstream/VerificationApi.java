package cloud.phonematch.verify.upstream;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

/**
 * The Mobile Number Two-Factor Verification API, declared. Built by {@link VerificationApiClientFactory} with
 * connect and read timeouts always set and the default exception mapper off: every status comes back as a
 * {@link Response} so {@link ApiReplyReader} alone decides what it means. Asynchronous, so each
 * attempt can be given its own time limit (the invocation's remaining time) by whoever waits for it.
 * <p>
 * The body goes as the JSON bytes the function's own mapper wrote ({@link RequestBodies}), not as an object for
 * the client's Jackson provider: that provider looks the calling method's annotations up again on every request
 * (for {@code @JsonView}), which was a sixth of a warm invocation's own work, and the function has no use for it.
 */
@Path("/identity/phone/check-2e")
public interface VerificationApi {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> check(@HeaderParam("authorization") String authorization,
            @HeaderParam("x-request-id") String correlationId,
            byte[] body);
}
