package cloud.phonematch.verify.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The whole function with {@code VERIFY_UPSTREAM=sandbox}, as dev mode runs it. One profile class for every test that
 * needs it, so that they share one start of Quarkus.
 */
public class SandboxUpstream implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("verify.upstream", "sandbox");
    }
}
