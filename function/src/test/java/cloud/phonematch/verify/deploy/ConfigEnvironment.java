package cloud.phonematch.verify.deploy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

/**
 * The environment variables a {@link ConfigMapping} interface reads, derived from its methods: every method
 * is one setting, nested interfaces are groups whose settings sit under the method's name, and the
 * environment variable is the property name upper-cased with every other character turned into
 * {@code _} ({@code verify.api-base-url} is {@code VERIFY_API_BASE_URL}), as SmallRye Config maps them.
 */
public final class ConfigEnvironment {
    private ConfigEnvironment() {
    }

    /** The package whose {@code verify}-prefixed mappings are the function's settings. */
    private static final String FUNCTION_PACKAGE = "cloud.phonematch.verify";

    /**
     * Every {@code @ConfigMapping(prefix = "verify")} interface of the function, found in its compiled classes (one per
     * concern: the API, the attempts, the token, the records, encryption, metrics), so that a new one cannot be left
     * out of the checks of the template and docs/configuration.md.
     */
    public static List<Class<?>> functionMappings() {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(FUNCTION_PACKAGE).stream()
                .filter(c -> c.isAnnotatedWith(ConfigMapping.class)
                        && "verify".equals(c.getAnnotationOfType(ConfigMapping.class).prefix()))
                .map(JavaClass::reflect).sorted(Comparator.comparing(Class::getName))
                .collect(Collectors.toList());
    }

    /** The environment variables of all {@code mappings}. */
    public static SortedSet<String> environmentNames(Collection<Class<?>> mappings) {
        SortedSet<String> env = new TreeSet<>();
        mappings.forEach(m -> env.addAll(environmentNames(m)));
        return env;
    }

    /** The environment variables of all {@code mappings} but those of deprecated settings (old names kept read). */
    public static SortedSet<String> currentEnvironmentNames(Collection<Class<?>> mappings) {
        SortedSet<String> env = new TreeSet<>();
        mappings.forEach(m -> settings(m).forEach((property, method) -> {
            if (!method.isAnnotationPresent(Deprecated.class)) {
                env.add(toEnvironmentName(property));
            }
        }));
        return env;
    }

    /** The defaults of all {@code mappings}. */
    static SortedMap<String, String> environmentDefaults(Collection<Class<?>> mappings) {
        SortedMap<String, String> defaults = new TreeMap<>();
        mappings.forEach(m -> defaults.putAll(environmentDefaults(m)));
        return defaults;
    }

    /** The property names ({@code verify.api-base-url}, ...). */
    static SortedSet<String> propertyNames(Class<?> mapping) {
        return new TreeSet<>(settings(mapping).keySet());
    }

    /** Each property name with the method that reads it. */
    static SortedMap<String, Method> settings(Class<?> mapping) {
        ConfigMapping annotation = mapping.getAnnotation(ConfigMapping.class);
        if (annotation == null) {
            throw new IllegalArgumentException(mapping + " is not annotated @ConfigMapping");
        }
        SortedMap<String, Method> settings = new TreeMap<>();
        collect(mapping, annotation.prefix(), annotation.namingStrategy(), settings);
        return settings;
    }

    /** The default of each environment variable that has one ({@code @WithDefault}). */
    static SortedMap<String, String> environmentDefaults(Class<?> mapping) {
        SortedMap<String, String> defaults = new TreeMap<>();
        settings(mapping).forEach((property, method) -> {
            WithDefault d = method.getAnnotation(WithDefault.class);
            if (d != null) {
                defaults.put(toEnvironmentName(property), d.value());
            }
        });
        return defaults;
    }

    /** The environment variable names ({@code VERIFY_API_BASE_URL}, ...). */
    public static SortedSet<String> environmentNames(Class<?> mapping) {
        SortedSet<String> env = new TreeSet<>();
        propertyNames(mapping).forEach(p -> env.add(toEnvironmentName(p)));
        return env;
    }

    static String toEnvironmentName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static void collect(Class<?> group, String path, ConfigMapping.NamingStrategy naming,
            SortedMap<String, Method> out) {
        Method[] methods = group.getMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
            if (m.isDefault() || Modifier.isStatic(m.getModifiers()) || m.getParameterCount() > 0
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = m.isAnnotationPresent(WithName.class) ? m.getAnnotation(WithName.class).value()
                    : naming.apply(m.getName());
            String property = m.isAnnotationPresent(WithParentName.class) ? path
                    : path.isEmpty() ? name : path + "." + name;
            Type type = m.getGenericReturnType();
            if (raw(type) == Optional.class) {
                type = ((ParameterizedType) type).getActualTypeArguments()[0];
            }
            Class<?> raw = raw(type);
            if (Map.class.isAssignableFrom(raw)) {
                throw new IllegalStateException(group.getName() + "." + m.getName() + " is a Map: its keys are not "
                        + "known in advance, so this test cannot list its environment variables. Teach "
                        + "ConfigEnvironment how the template should set it.");
            }
            if (Collection.class.isAssignableFrom(raw)) {
                Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
                if (isGroup(raw(element))) {
                    throw new IllegalStateException(group.getName() + "." + m.getName() + " is a list of groups "
                            + "(indexed properties): teach ConfigEnvironment how the template should set it.");
                }
                out.put(property, m); // a comma-separated value
            } else if (isGroup(raw)) {
                collect(raw, property, naming, out);
            } else {
                out.put(property, m);
            }
        }
    }

    /** A nested configuration group: an interface of the application, not a JDK or library value type. */
    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && !type.getName().startsWith("java.") && !type.isAnnotation();
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("unsupported configuration type " + type);
    }
}
