package cloud.phonematch.verify.support;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/** A Lambda context with a real deadline, for invoking the handler directly with a chosen time budget. */
public final class FakeLambdaContext implements Context {
    private final String requestId;
    private final long deadlineMillis;

    public FakeLambdaContext(String requestId, long remainingMillis) {
        this.requestId = requestId;
        this.deadlineMillis = System.currentTimeMillis() + remainingMillis;
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) (deadlineMillis - System.currentTimeMillis());
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/mobile-verify";
    }

    @Override
    public String getLogStreamName() {
        return "test";
    }

    @Override
    public String getFunctionName() {
        return "mobile-verify";
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:cn-north-1:123456789012:function:mobile-verify";
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
        return 512;
    }

    @Override
    public LambdaLogger getLogger() {
        return null;
    }
}
