package cloud.phonematch.verify.localgateway;

import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Ids in the shapes API Gateway gives them; random, since locally they only need to differ. */
final class RequestIds {
    private RequestIds() {
    }

    /** An {@code apigw-requestid} (also the event's {@code requestContext.requestId}): 16 characters, e.g. {@code JKJaXmPLvHcESHA=}. */
    static String apiGatewayRequestId() {
        return Base64.getEncoder().encodeToString(randomBytes(11));
    }

    /** The {@code x-amzn-trace-id} API Gateway adds: {@code Root=1-<epoch seconds, hex>-<96 random bits, hex>}. */
    static String traceId(Instant at) {
        return "Root=1-" + String.format("%08x", at.getEpochSecond()) + "-" + HexFormat.of().formatHex(randomBytes(12));
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
