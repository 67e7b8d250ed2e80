package cloud.phonematch.verify.localgateway;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.function.LongSupplier;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/**
 * The function as Lambda invokes it: the event's bytes into the handler's {@code handleRequest}, with a context
 * whose request id is new (a UUID, as Lambda's are) and whose remaining time starts at the function's timeout.
 */
final class LocalFunction {
    private final RequestStreamHandler handler;
    private final Duration timeout;
    private final LongSupplier nanoTime;

    LocalFunction(RequestStreamHandler handler, Duration timeout, LongSupplier nanoTime) {
        this.handler = handler;
        this.timeout = timeout;
        this.nanoTime = nanoTime;
    }

    /** The function's response bytes; whatever the handler throws is thrown on, as Lambda reports it. */
    byte[] invoke(byte[] event) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), output,
                new LocalLambdaContext(UUID.randomUUID().toString(), timeout.toMillis(), nanoTime));
        return output.toByteArray();
    }
}
