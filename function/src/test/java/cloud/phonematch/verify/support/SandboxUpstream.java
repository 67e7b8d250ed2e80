package cloud.phonematch.verify.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The whole function with {@code VERIFY_UPSTREAM=sandbox}, as dev mode runs it. One profile class for every test that
 * needs it, so that they share one start of Quarkus.
 * <p>
 * It also sets a property of dev mode's local HTTP API, as the README's {@code ./mvnw quarkus:dev -Dlocal-gateway…}
 * line does: the application must start with it (a property under {@code verify.} that the function's configuration
 * does not know would stop it).
 */
public class SandboxUpstream implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("verify.upstream", "sandbox", "local-gateway.throttle-burst-limit", "20");
    }
}
