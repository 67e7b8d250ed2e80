package cloud.phonematch.verify.secrets;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

/**
 * Secrets Manager's AWS JSON 1.1 protocol, the one operation the function needs: {@code POST /} with the
 * operation in {@code X-Amz-Target}. The request is signed by the AWS SDK's SigV4 signer
 * ({@link SignedSecretRequest}); every header it signed except {@code Host} (which the client derives from the
 * same URI) is passed here, so the request sent is the request signed. A null header is not sent.
 */
@Path("/")
public interface SecretsManagerApi {

    @POST
    @Consumes(SignedSecretRequest.CONTENT_TYPE)
    Uni<Response> call(@HeaderParam("X-Amz-Target") String target,
            @HeaderParam("X-Amz-Date") String date,
            @HeaderParam("X-Amz-Security-Token") String securityToken,
            @HeaderParam("x-amz-content-sha256") String contentSha256,
            @HeaderParam("Authorization") String authorization,
            byte[] body);
}
