package cloud.phonematch.verify.localgateway;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * The deployed HTTP API's {@code $default} stage, without sockets: its throttle decides on arrival, an admitted
 * request becomes a payload 2.0 event for the function, and the function's response becomes the HTTP response.
 * Every response carries the headers API Gateway adds ({@code apigw-requestid}, {@code date}). When the function
 * fails (an exception; for HTTP events it never should), API Gateway answers 500 {@code Internal Server Error}.
 */
final class HttpApiStage {
    private static final Logger LOG = Logger.getLogger(HttpApiStage.class);

    private final TokenBucket throttle;
    private final LocalFunction function;
    private final Clock clock;

    HttpApiStage(TokenBucket throttle, LocalFunction function, Clock clock) {
        this.throttle = throttle;
        this.function = function;
        this.clock = clock;
    }

    /**
     * A request as the stage first sees it.
     *
     * @param requestId its {@code apigw-requestid}
     * @param at when it arrived
     * @param admitted whether the throttle let it through
     */
    record Arrival(String requestId, Instant at, boolean admitted) {
    }

    /** Takes a request in: gives it its id and a throttle decision, before its body is read. */
    Arrival arrive() {
        return new Arrival(RequestIds.apiGatewayRequestId(), clock.instant(), throttle.tryTake());
    }

    /**
     * The stage's own answer to a request whose body has been read, if it gives one: 429 when the throttle refused
     * it, else 413 when its body was over the payload quota. Empty when the request goes to the function.
     */
    Optional<GatewayResponse> refusal(Arrival arrival, boolean overPayloadQuota) {
        if (!arrival.admitted()) {
            return Optional.of(finish(arrival, GatewayResponse.tooManyRequests()));
        }
        if (overPayloadQuota) {
            return Optional.of(finish(arrival, GatewayResponse.payloadTooLarge()));
        }
        return Optional.empty();
    }

    /** The function's answer to an admitted request. Blocks for as long as the invocation takes. */
    GatewayResponse invoke(Arrival arrival, GatewayRequest request) {
        GatewayResponse response;
        try {
            byte[] output = function.invoke(GatewayJson.bytes(HttpApiEvents.from(request, arrival.requestId(), arrival.at())));
            response = ProxyResponses.toHttp(output);
        } catch (Exception | LinkageError e) {
            response = failed(e);
        }
        return finish(arrival, response);
    }

    /** The answer when the invocation could not be made or did not return. */
    GatewayResponse failed(Arrival arrival, Throwable cause) {
        return finish(arrival, failed(cause));
    }

    private static GatewayResponse failed(Throwable cause) {
        // Logged as Lambda's runtime reports a failed invocation; the function writes its own messages, without
        // personal data (see docs/privacy.md).
        LOG.errorf(cause, "the function failed with %s; API Gateway answers 500", cause.getClass().getName());
        return GatewayResponse.internalServerError();
    }

    private static GatewayResponse finish(Arrival arrival, GatewayResponse response) {
        return response.withHeaders(List.of(
                Map.entry("date", DateTimeFormatter.RFC_1123_DATE_TIME.format(arrival.at().atOffset(ZoneOffset.UTC))),
                Map.entry("apigw-requestid", arrival.requestId())));
    }
}
