package cloud.phonematch.verify.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The whole function with VERIFY_UPSTREAM=sandbox, as the sandbox stack and dev mode run it. */
public class SandboxProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("verify.upstream", "sandbox");
    }
}
