package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.DeploymentFiles.FUNCTION;
import static cloud.phonematch.verify.deploy.DeploymentFiles.environment;
import static cloud.phonematch.verify.deploy.DeploymentFiles.environmentFor;
import static cloud.phonematch.verify.deploy.DeploymentFiles.scenarios;
import static cloud.phonematch.verify.deploy.DeploymentFiles.template;
import static cloud.phonematch.verify.deploy.Template.list;
import static cloud.phonematch.verify.deploy.Template.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.WithName;

/**
 * The function's environment in template.yaml against the settings the code reads: the same names, the code's
 * defaults where the template pins a value, a configuration the function starts with for every deployable
 * parameter choice, and the runtime and JVM variables that are not settings. Plain JUnit.
 */
@ExtendWith(DeploymentFiles.Loaded.class)
class TemplateEnvironmentTest {
    /**
     * Environment variables the template may set besides the function's settings, each with why. Every entry must be
     * read by a class the function ships (checked in {@link #runtimeVariablesAreReadByTheRuntime()}).
     */
    static final Map<String, String> RUNTIME_ENVIRONMENT = Map.of(
            "DISABLE_SIGNAL_HANDLERS", "io/quarkus/runtime/ApplicationLifecycleManager.class");

    /**
     * Environment variables the template may set for the JVM itself, each with why (checked in
     * {@link #jvmOptionsAreOnlyForTheJvmRuntimeAndAJvmAcceptsThem()}, against the JDK running the build; Lambda
     * runs Java 21, so an option must also exist there — MetaspaceSize and ReservedCodeCacheSize have for
     * decades, CompileThresholdScaling since Java 9).
     */
    static final Map<String, String> JVM_ENVIRONMENT = Map.of(
            "JAVA_TOOL_OPTIONS", "a metaspace threshold above what the function loads (no full GC and heap "
                    + "growth during the first invocation), an earlier C1 compile of the warm path and room in the code cache (no "
                    + "full GC when the compiled code grows; BENCHMARKS.md)");

    /**
     * Settings template.yaml deliberately deploys with a value other than the code's {@code @WithDefault}
     * (none today): anything else it sets literally must equal the default, so a changed default in the
     * code cannot silently lose against a stale copy in the template.
     */
    static final Map<String, String> DEPLOYED_DIFFERENTLY = Map.of();

    @Test
    void environmentIsExactlyWhatTheCodeReads() {
        // An old name kept read (deprecated) is documented, never set by the template.
        SortedSet<String> expected = ConfigEnvironment.currentEnvironmentNames(ConfigEnvironment.functionMappings());
        assertFalse(expected.isEmpty());
        Map<String, Object> variables = map(map(template.properties(FUNCTION).get("Environment"), "Environment")
                .get("Variables"), "Variables");
        SortedSet<String> set = new TreeSet<>(variables.keySet());
        set.removeAll(RUNTIME_ENVIRONMENT.keySet());
        set.removeAll(JVM_ENVIRONMENT.keySet());

        SortedSet<String> missing = new TreeSet<>(expected);
        missing.removeAll(set);
        SortedSet<String> ignored = new TreeSet<>(set);
        ignored.removeAll(expected);
        assertTrue(missing.isEmpty(), "settings the code reads but template.yaml does not set: " + missing);
        assertTrue(ignored.isEmpty(), "variables template.yaml sets but the code never reads: " + ignored);
    }

    @Test
    void fixedEnvironmentValuesAreTheCodesDefaults() {
        Map<String, String> defaults = ConfigEnvironment.environmentDefaults(ConfigEnvironment.functionMappings());
        Map<String, Object> variables = map(map(template.properties(FUNCTION).get("Environment"), "Environment")
                .get("Variables"), "Variables");
        List<String> drift = new ArrayList<>();
        variables.forEach((name, value) -> {
            if (!(value instanceof Map) && defaults.containsKey(name)) {
                String expected = DEPLOYED_DIFFERENTLY.getOrDefault(name, defaults.get(name));
                if (!expected.equals(String.valueOf(value))) {
                    drift.add(name + ": template " + value + ", code default " + defaults.get(name));
                }
            }
        });
        assertTrue(drift.isEmpty(), "template.yaml pins values that are not the code's defaults (change the "
                + "template, or list a deliberate difference in DEPLOYED_DIFFERENTLY): " + drift);
    }

    @Test
    void environmentDerivationAgreesWithSmallRyesOwnView() {
        List<Class<?>> mappings = ConfigEnvironment.functionMappings();
        assertTrue(mappings.size() >= 6, "one mapping per concern: " + mappings);
        for (Class<?> mapping : mappings) {
            Set<String> smallrye = ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(mapping))
                    .keySet();
            assertEquals(new TreeSet<>(smallrye), ConfigEnvironment.propertyNames(mapping), mapping.getName());
        }
    }

    @Test
    void environmentDerivationFollowsNestedGroupsAndNames() {
        assertEquals(new TreeSet<>(List.of("T_FLAG", "T_GROUP_INNER_TIMEOUT", "T_GROUP_LIST", "T_RENAMED", "T_SOME_URL")),
                ConfigEnvironment.environmentNames(Example.class));
        assertThrows(IllegalStateException.class, () -> ConfigEnvironment.environmentNames(WithMap.class));
    }

    @Test
    void everyDeployableEnvironmentIsValidConfiguration() {
        Set<Map<String, String>> environments = new LinkedHashSet<>();
        for (Map<String, String> values : scenarios) {
            Map<String, String> env = new TreeMap<>();
            environmentFor(values).forEach((k, v) -> {
                if (!RUNTIME_ENVIRONMENT.containsKey(k) && !JVM_ENVIRONMENT.containsKey(k)) {
                    env.put(k, String.valueOf(v));
                }
            });
            environments.add(env);
        }
        assertTrue(environments.size() > 1);
        for (Map<String, String> env : environments) {
            SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                    .withSources(new EnvConfigSource(env, EnvConfigSource.ORDINAL))
                    .withConverter(Duration.class, 200, new DurationConverter());
            ConfigEnvironment.functionMappings().forEach(builder::withMapping);
            SmallRyeConfig config = builder.build();
            try {
                ConfigEnvironment.functionMappings().forEach(m -> assertNotNull(config.getConfigMapping(m)));
            } catch (RuntimeException e) {
                fail("the function would not start with " + env + ": " + e.getMessage(), e);
            }
        }
    }

    @Test
    void runtimeVariablesAreReadByTheRuntime() throws IOException {
        for (var e : RUNTIME_ENVIRONMENT.entrySet()) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(e.getValue())) {
                assertNotNull(in, e.getValue() + " is not on the classpath");
                String bytes = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(bytes.contains(e.getKey()), e.getValue() + " no longer reads " + e.getKey());
            }
        }
        // Only for the native executable; the JVM runtimes do not get it.
        for (String jvm : List.of("jvm", "jvm25", "jvm-aot")) {
            assertFalse(environment(Map.of("Runtime", jvm)).containsKey("DISABLE_SIGNAL_HANDLERS"), jvm);
        }
        assertEquals("true", environment(Map.of("Runtime", "native")).get("DISABLE_SIGNAL_HANDLERS"));
    }

    @Test
    void jvmOptionsAreOnlyForTheManagedJvmRuntimesAndAJvmAcceptsThem() throws IOException, InterruptedException {
        for (String name : JVM_ENVIRONMENT.keySet()) {
            // The jvm-aot bootstrap gives its JVM the command line its cache was trained with, and nothing else.
            for (String other : List.of("native", "jvm-aot")) {
                assertFalse(environment(Map.of("Runtime", other)).containsKey(name), name + " is not for " + other);
            }
            for (String managed : List.of("jvm", "jvm25")) {
                Object value = environment(Map.of("Runtime", managed)).get(name);
                assertTrue(value instanceof String s && !s.isBlank(), name + " is set for " + managed + ": " + value);
            }
        }
        String java25 = (String) environment(Map.of("Runtime", "jvm25")).get("JAVA_TOOL_OPTIONS");
        assertTrue(java25.startsWith(environment(Map.of("Runtime", "jvm")).get("JAVA_TOOL_OPTIONS") + " "),
                "java25 gets java21's options and more");
        assertTrue(java25.endsWith(" --add-opens=java.base/java.lang=ALL-UNNAMED"),
                "JBoss Threads resets thread locals through java.lang on Java 24+: " + java25);
        // The JVM refuses to start on an option it does not know or a malformed value (this build's JDK: 21 or later).
        String options = java25;
        ProcessBuilder java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+PrintFlagsFinal", "-version").redirectErrorStream(true);
        java.environment().put("JAVA_TOOL_OPTIONS", options);
        Process checked = java.start();
        checked.getOutputStream().close();
        String flags = new String(checked.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, checked.waitFor(), "java refuses JAVA_TOOL_OPTIONS=" + options + ":\n" + flags);
        assertTrue(flags.matches("(?s).*\\bMetaspaceSize\\s+= 67108864\\b.*"), "the metaspace threshold is 64 MiB");
        assertTrue(flags.matches("(?s).*\\bCompileThresholdScaling\\s+= 0\\.3\\d*\\b.*"),
                "compile thresholds at 0.3 of the default");
        assertTrue(flags.matches("(?s).*\\bReservedCodeCacheSize\\s+= 134217728\\b.*"), "a 128 MiB code cache");
    }

    // ------------------------------------------------------------------ fixtures of the derivation test

    @ConfigMapping(prefix = "t")
    interface Example {
        boolean flag();

        Optional<String> someUrl();

        @WithName("renamed")
        int original();

        Group group();

        interface Group {
            Inner inner();

            List<String> list();
        }

        interface Inner {
            Duration timeout();
        }
    }

    @ConfigMapping(prefix = "t")
    interface WithMap {
        Map<String, String> labels();
    }
}
