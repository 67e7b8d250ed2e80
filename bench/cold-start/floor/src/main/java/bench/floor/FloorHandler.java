package bench.floor;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.inject.Named;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/**
 * The floor of doing this function's job on Quarkus: read the event, POST a fixed body to the verification
 * API with {@code java.net.http}, hand back the API's answer. No validation, no token, no mapping, no fault
 * tolerance — whatever the real function costs above this is the price of those.
 */
@Named("floor")
public class FloorHandler implements RequestStreamHandler {
    private static final byte[] BODY = "{\"name\":\"n\",\"mobile\":\"m\"}".getBytes(StandardCharsets.UTF_8);

    // Static: Quarkus looks the handler bean up on every invocation (AmazonLambdaRecorder.handle) and a @Named
    // bean is @Dependent, so instance fields would build a new client — a new selector thread and connection
    // pool — per invocation. One client per execution environment.
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    private static final URI API_URI = URI.create(
            System.getenv().getOrDefault("VERIFY_API_BASE_URL", "http://127.0.0.1:9") + "/identity/phone/check-2e");

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        HttpRequest request = HttpRequest.newBuilder(API_URI)
                .timeout(Duration.ofSeconds(3))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(BODY))
                .build();
        try {
            HttpResponse<byte[]> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IOException("the API answered " + response.statusCode());
            }
            output.write(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while calling the API");
        }
    }
}
