package cloud.phonematch.verify.localgateway;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

import io.quarkus.runtime.configuration.DurationConverter;

/**
 * How the local HTTP API runs. The defaults are the deployed stack's: the stage's throttling parameters
 * ({@code ThrottleRateLimit} 10 requests a second, {@code ThrottleBurstLimit} 20) and the function's
 * {@code Timeout} (10 s), which becomes the remaining time of each invocation's Lambda context.
 * <p>
 * Read as plain properties rather than a config mapping: a mapping is registered in every build, and this class
 * must stay out of the production one. Not under {@code verify.}: those are the function's settings, and the
 * function's mappings (one per concern, e.g. {@code ApiSettings}) refuses any property under its prefix that it does not know.
 *
 * @param enabled whether dev mode starts it ({@code local-gateway.enabled})
 * @param host the address it listens on; loopback by default, since it has no authorization
 * @param port the port ({@code 0}: any free port, printed when it starts)
 * @param rateLimit tokens added to the bucket per second
 * @param burstLimit the bucket's size ({@code 0} throttles every request, as API Gateway does)
 * @param functionTimeout the remaining time each invocation starts with
 */
public record LocalGatewaySettings(boolean enabled, String host, int port, double rateLimit, int burstLimit,
        Duration functionTimeout) {

    static final String PREFIX = "local-gateway.";

    public LocalGatewaySettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(PREFIX + "port must be 0-65535 (0: any free port), not " + port);
        }
        if (rateLimit < 0 || Double.isNaN(rateLimit)) {
            throw new IllegalArgumentException(PREFIX + "throttle-rate-limit must be 0 or more, not " + rateLimit);
        }
        if (burstLimit < 0) {
            throw new IllegalArgumentException(PREFIX + "throttle-burst-limit must be 0 or more, not " + burstLimit);
        }
        if (functionTimeout.isNegative() || functionTimeout.isZero()) {
            throw new IllegalArgumentException(PREFIX + "function-timeout must be positive, not " + functionTimeout);
        }
    }

    /**
     * The settings under {@code local-gateway.}, each falling back to its default.
     *
     * @param property looks a property up by its full name
     */
    public static LocalGatewaySettings from(Function<String, Optional<String>> property) {
        Function<String, Optional<String>> own = name -> property.apply(PREFIX + name).map(String::strip);
        return new LocalGatewaySettings(
                own.apply("enabled").map(v -> parse(v, "enabled", LocalGatewaySettings::strictBoolean)).orElse(true),
                own.apply("host").orElse("127.0.0.1"),
                own.apply("port").map(v -> parse(v, "port", Integer::parseInt)).orElse(3000),
                own.apply("throttle-rate-limit").map(v -> parse(v, "throttle-rate-limit", Double::parseDouble))
                        .orElse(10.0),
                own.apply("throttle-burst-limit").map(v -> parse(v, "throttle-burst-limit", Integer::parseInt))
                        .orElse(20),
                own.apply("function-timeout").map(v -> parse(v, "function-timeout", DurationConverter::parseDuration))
                        .orElse(Duration.ofSeconds(10)));
    }

    private static boolean strictBoolean(String value) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("neither true nor false");
        }
        return Boolean.parseBoolean(value);
    }

    private static <T> T parse(String value, String name, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(PREFIX + name + " is not valid: '" + value + "'");
        }
    }
}
