package cloud.phonematch.verify.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.regions.Region;

class LambdaSdkSettingsTest {
    private static final Map<String, String> ON_DEMAND = Map.of(
            "AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand",
            "AWS_REGION", "cn-north-1",
            "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY", "example-secret",
            "AWS_SESSION_TOKEN", "example-session");

    @Test
    void theRegionIsLambdasAwsRegion() {
        assertEquals(Optional.of(Region.CN_NORTH_1), LambdaSdkSettings.region(ON_DEMAND));
        assertEquals(Optional.of(Region.AP_EAST_1), LambdaSdkSettings.region(Map.of("AWS_REGION", " ap-east-1 ")));
    }

    @Test
    void withoutAwsRegionTheSdkChainDecides() {
        assertEquals(Optional.empty(), LambdaSdkSettings.region(Map.of()));
        assertEquals(Optional.empty(), LambdaSdkSettings.region(Map.of("AWS_REGION", " ")));
    }

    @Test
    void anOnDemandEnvironmentUsesTheCredentialsLambdaPutInItsEnvironment() {
        assertInstanceOf(EnvironmentVariableCredentialsProvider.class,
                LambdaSdkSettings.credentials(ON_DEMAND).orElseThrow());
    }

    @Test
    void snapStartAndOtherEnvironmentsKeepTheDefaultChain() {
        for (String type : new String[] { "snap-start", "provisioned-concurrency", "lambda-managed-instances", "" }) {
            var env = new HashMap<>(ON_DEMAND);
            env.put("AWS_LAMBDA_INITIALIZATION_TYPE", type);
            assertTrue(LambdaSdkSettings.credentials(env).isEmpty(), type);
        }
        assertTrue(LambdaSdkSettings.credentials(Map.of()).isEmpty(), "outside Lambda");
    }

    @Test
    void anOnDemandEnvironmentWithoutKeysKeepsTheDefaultChain() {
        var env = new HashMap<>(ON_DEMAND);
        env.remove("AWS_SECRET_ACCESS_KEY");
        assertTrue(LambdaSdkSettings.credentials(env).isEmpty());
        env.put("AWS_SECRET_ACCESS_KEY", "");
        assertTrue(LambdaSdkSettings.credentials(env).isEmpty());
    }
}
