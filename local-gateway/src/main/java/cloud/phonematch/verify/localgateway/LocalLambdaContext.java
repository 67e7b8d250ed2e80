package cloud.phonematch.verify.localgateway;

import java.util.function.LongSupplier;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/**
 * The Lambda context of one local invocation: a request id of its own and a deadline that starts at the function's
 * timeout and runs down, as Lambda's does, so the function's deadline logic works locally as deployed. The names
 * describe a local function; the handler reads only the request id and the remaining time. The tests that invoke the
 * handler directly with a chosen time budget use it too.
 */
public final class LocalLambdaContext implements Context {
    static final String FUNCTION_NAME = "mobile-verify-local";
    private static final int MEMORY_MB = 512;

    private final String requestId;
    private final LongSupplier nanoTime;
    private final long deadlineNanos;

    /** @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime}) */
    public LocalLambdaContext(String requestId, long timeoutMillis, LongSupplier nanoTime) {
        this.requestId = requestId;
        this.nanoTime = nanoTime;
        this.deadlineNanos = nanoTime.getAsLong() + timeoutMillis * 1_000_000;
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, (deadlineNanos - nanoTime.getAsLong()) / 1_000_000);
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + FUNCTION_NAME;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return FUNCTION_NAME;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:local:" + HttpApiEvents.ACCOUNT_ID + ":function:" + FUNCTION_NAME;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getMemoryLimitInMB() {
        return MEMORY_MB;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.print(message);
            }

            @Override
            public void log(byte[] message) {
                System.out.write(message, 0, message.length);
            }
        };
    }
}
