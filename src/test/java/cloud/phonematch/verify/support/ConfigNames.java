package cloud.phonematch.verify.support;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;

import cloud.phonematch.verify.config.VerifyConfig;

/**
 * The environment variables the code reads, derived from {@link VerifyConfig} the way SmallRye maps them
 * ({@code apiBaseUrl} → {@code verify.api-base-url} → {@code VERIFY_API_BASE_URL}), so a new setting is
 * picked up by every consistency test without editing a list.
 */
public final class ConfigNames {
    private ConfigNames() {
    }

    public static Set<String> environmentVariables() {
        Set<String> names = new TreeSet<>();
        collect(VerifyConfig.class, "VERIFY", names);
        return names;
    }

    private static void collect(Class<?> type, String prefix, Set<String> names) {
        for (Method m : type.getDeclaredMethods()) {
            if (m.isDefault() || java.lang.reflect.Modifier.isStatic(m.getModifiers()) || m.getParameterCount() > 0) {
                continue;
            }
            String name = prefix + "_" + m.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase();
            if (m.getReturnType().isInterface() && m.getReturnType().getName().startsWith("cloud.phonematch")) {
                collect(m.getReturnType(), name, names);
            } else {
                names.add(name);
            }
        }
    }
}
