package cloud.phonematch.verify.localgateway;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.json.Json;

/**
 * API Gateway's own answers, as the local HTTP API's stage gives them without the function (or instead of its
 * answer), in the proxy-response shape the description's contract reads: so that the contract holds them to
 * openapi.yaml as it holds the function's.
 */
public final class GatewayOwnAnswers {
    /** The headers API Gateway adds to every answer, which the description leaves out. */
    private static final Set<String> UNDESCRIBED = Set.of("date", "apigw-requestid");

    private GatewayOwnAnswers() {
    }

    /**
     * One answer of the stage's own.
     *
     * @param why what made the stage answer
     * @param methods the methods of {@code /verifications} it can answer
     * @param status its status
     * @param proxy the answer as a proxy response (status, headers, body)
     */
    public record Answer(String why, List<String> methods, int status, ObjectNode proxy) {
    }

    /** Every answer the stage gives of its own: throttling, the payload quota, a function that failed. */
    public static List<Answer> all() {
        List<String> everyMethod = List.of("POST", "GET", "PUT", "DELETE", "PATCH", "OPTIONS");
        RequestStreamHandler throwing = (in, out, context) -> {
            throw new IllegalStateException("the function failed");
        };
        RequestStreamHandler notAProxyResponse = (in, out, context) -> out.write(
                "{\"statusCode\":\"two hundred\"}".getBytes(StandardCharsets.UTF_8));

        HttpApiStage empty = stage(throwing, 0);
        GatewayResponse throttled = empty.refusal(empty.arrive(), false).orElseThrow();
        HttpApiStage open = stage(throwing, 10);
        GatewayResponse tooLarge = open.refusal(open.arrive(), true).orElseThrow();
        GatewayResponse failed = open.invoke(open.arrive(), post());
        HttpApiStage unusable = stage(notAProxyResponse, 10);
        GatewayResponse unreadable = unusable.invoke(unusable.arrive(), post());

        return List.of(new Answer("throttled", everyMethod, throttled.status(), proxy(throttled)),
                new Answer("over the payload quota", List.of("POST"), tooLarge.status(), proxy(tooLarge)),
                new Answer("the function failed", everyMethod, failed.status(), proxy(failed)),
                new Answer("the function's answer is no proxy response", everyMethod, unreadable.status(),
                        proxy(unreadable)));
    }

    private static HttpApiStage stage(RequestStreamHandler function, int burst) {
        return new HttpApiStage(new TokenBucket(0, burst, System::nanoTime),
                new LocalFunction(function, Duration.ofSeconds(10), System::nanoTime), Clock.systemUTC());
    }

    private static GatewayRequest post() {
        return new GatewayRequest("POST", "/verifications", "", "HTTP/1.1", "127.0.0.1", 3000,
                List.of(Map.entry("content-type", "application/json")), "{}".getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode proxy(GatewayResponse response) {
        ObjectNode proxy = Json.object();
        proxy.put("statusCode", response.status());
        ObjectNode headers = proxy.putObject("headers");
        response.headers().stream().filter(h -> !UNDESCRIBED.contains(h.getKey().toLowerCase()))
                .forEach(h -> headers.put(h.getKey(), h.getValue()));
        proxy.put("body", response.bodyText());
        proxy.put("isBase64Encoded", false);
        return proxy;
    }
}
