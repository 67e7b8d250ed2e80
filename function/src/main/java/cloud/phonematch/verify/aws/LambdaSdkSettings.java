package cloud.phonematch.verify.aws;

import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The region and credentials an SDK client takes straight from what Lambda puts in the environment, as
 * Powertools' parameters module does, instead of walking the SDK's default chains (system properties,
 * environment, profile files, container and instance metadata) to find the same values: the chains cost
 * classes, memory and time on the first invocation, and a function only ever finds its values in the
 * environment.
 * <p>
 * Credentials come from the environment only in an on-demand environment. A SnapStart environment is not
 * given {@code AWS_ACCESS_KEY_ID} and friends (its credentials come from the container credentials endpoint
 * after restore), so it, and any other or unknown initialization type, keeps the default chain. Outside Lambda
 * (local runs, tests) neither variable is set and the defaults apply as before.
 */
final class LambdaSdkSettings {
    static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";
    static final String ON_DEMAND = "on-demand";

    private LambdaSdkSettings() {
    }

    /** The function's region from {@code AWS_REGION}; empty when it is not set. */
    static Optional<Region> region(Map<String, String> env) {
        return Optional.ofNullable(env.get("AWS_REGION")).map(String::strip).filter(r -> !r.isEmpty()).map(Region::of);
    }

    /** The environment's credentials in an on-demand Lambda environment that has them; empty otherwise. */
    static Optional<AwsCredentialsProvider> credentials(Map<String, String> env) {
        boolean onDemand = ON_DEMAND.equals(env.get(INITIALIZATION_TYPE));
        boolean present = isSet(env.get("AWS_ACCESS_KEY_ID")) && isSet(env.get("AWS_SECRET_ACCESS_KEY"));
        return onDemand && present ? Optional.of(EnvironmentVariableCredentialsProvider.create()) : Optional.empty();
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
