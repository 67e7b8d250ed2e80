package cloud.phonematch.verify.aws;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

/**
 * The AWS JSON protocols as the REST client sends them: {@code POST /} with the operation in {@code X-Amz-Target}
 * and the protocol version in the content type. The headers are those of a {@link SignedJsonRequest}: every header
 * the signer signed except {@code Host} (which the client derives from the same URI) is passed here, so the request
 * sent is the request signed. A null header is not sent.
 */
@Path("/")
public interface AwsJsonApi {

    @POST
    Uni<Response> call(@HeaderParam("Content-Type") String contentType,
            @HeaderParam("X-Amz-Target") String target,
            @HeaderParam("X-Amz-Date") String date,
            @HeaderParam("X-Amz-Security-Token") String securityToken,
            @HeaderParam("x-amz-content-sha256") String contentSha256,
            @HeaderParam("Authorization") String authorization,
            byte[] body);
}
