package cloud.phonematch.verify.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.WithDefault;

/**
 * A settings mapping ({@code @ConfigMapping}) for tests that build the function's parts by hand: each setting is the
 * value given, else its {@code @WithDefault} converted as SmallRye would, else empty for an {@code Optional}; default
 * methods run as written. A setting with neither a value nor a default fails when read, naming it.
 */
public final class SettingsStub {
    private SettingsStub() {
    }

    /** The mapping with its defaults. */
    public static <T> T of(Class<T> mapping) {
        return of(mapping, Map.of());
    }

    /** The mapping with these values (by method name) and the defaults for the rest. */
    public static <T> T of(Class<T> mapping, Map<String, ?> values) {
        Map<String, Object> given = new HashMap<>(values);
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "toString" -> mapping.getSimpleName() + given;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                };
            }
            if (given.containsKey(method.getName())) {
                return given.get(method.getName());
            }
            return defaultOf(method);
        };
        return mapping.cast(Proxy.newProxyInstance(mapping.getClassLoader(), new Class<?>[] { mapping }, handler));
    }

    /** A copy of {@code settings} (made by {@link #of}) with some values changed. */
    public static <T> T overriding(Class<T> mapping, Map<String, ?> values, Map<String, ?> changes) {
        Map<String, Object> merged = new HashMap<>(values);
        merged.putAll(changes);
        return of(mapping, merged);
    }

    private static Object defaultOf(Method method) {
        Class<?> type = method.getReturnType();
        WithDefault d = method.getAnnotation(WithDefault.class);
        if (d == null) {
            if (type == Optional.class) {
                return Optional.empty();
            }
            throw new UnsupportedOperationException(method.getName() + " has no value in this test and no default");
        }
        String text = d.value();
        if (type == String.class) {
            return text;
        }
        if (type == Duration.class) {
            return new DurationConverter().convert(text);
        }
        if (type == boolean.class) {
            return Boolean.parseBoolean(text);
        }
        if (type == int.class) {
            return Integer.parseInt(text);
        }
        if (type == long.class) {
            return Long.parseLong(text);
        }
        if (type == double.class) {
            return Double.parseDouble(text);
        }
        if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(text.toUpperCase(Locale.ROOT).replace('-', '_'))) {
                    return constant;
                }
            }
        }
        throw new UnsupportedOperationException(method.getName() + ": default " + text + " of " + type);
    }
}
