package cloud.phonematch.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.support.ProjectRoot;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * The README's SigV4-signed curl line, run as written against a local server standing in for API Gateway: the
 * request it sends must carry the signature the AWS SDK's own SigV4 signer computes for the same request and
 * credentials, for the service {@code execute-api} in the region — what API Gateway checks before it invokes the
 * function — and the body must be the documented request.
 */
class ReadmeSigV4CallTest {
    private static final String REGION = "cn-north-1";
    private static final String KEY_ID = "AKIDEXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final String SESSION_TOKEN = "session-token-example";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);

    record Received(String method, URI uri, Map<String, String> headers, byte[] body) {
    }

    @Test
    void theReadmeCurlLineSendsARequestApiGatewayAccepts() throws Exception {
        AtomicReference<Received> received = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            received.set(new Received(exchange.getRequestMethod(), exchange.getRequestURI(), headers,
                    exchange.getRequestBody().readAllBytes()));
            byte[] reply = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/verifications";
            ProcessBuilder curl = new ProcessBuilder("bash", "-c", readmeCurlLine()).directory(ProjectRoot.PATH.toFile())
                    .redirectErrorStream(true);
            curl.environment().putAll(Map.of("AWS_REGION", REGION, "AWS_ACCESS_KEY_ID", KEY_ID,
                    "AWS_SECRET_ACCESS_KEY", SECRET, "AWS_SESSION_TOKEN", SESSION_TOKEN, "API_URL", url));
            Process process = curl.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.waitFor(), output);
        } finally {
            server.stop(0);
        }

        Received r = received.get();
        assertEquals("POST", r.method());
        assertEquals("/verifications", r.uri().getPath());
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertEquals("张三", body.path("name").asText());
        assertEquals("13912345670", body.path("mobile").asText());
        assertEquals(SESSION_TOKEN, r.headers().get("x-amz-security-token"));

        Matcher auth = Pattern.compile("AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=(\\w+)")
                .matcher(r.headers().getOrDefault("authorization", ""));
        assertTrue(auth.matches(), "a SigV4 Authorization header: " + r.headers().get("authorization"));
        String amzDate = r.headers().get("x-amz-date");
        assertEquals(KEY_ID + "/" + amzDate.substring(0, 8) + "/" + REGION + "/execute-api/aws4_request", auth.group(1));
        List<String> signedHeaders = List.of(auth.group(2).split(";"));
        assertTrue(signedHeaders.containsAll(List.of("host", "x-amz-date", "x-amz-security-token")), auth.group(2));

        assertEquals(sdkSignature(r, signedHeaders, amzDate), auth.group(3),
                "the signature the SDK's SigV4 signer computes for this request");
    }

    /**
     * The README's bash block holding the signed curl call (indented as a step of a list, maybe), its continuation
     * lines joined; docs/deployment.md shows the same call.
     */
    static String readmeCurlLine() throws IOException {
        String line = signedCurlLine(ProjectRoot.PATH.resolve("README.md"));
        assertEquals(line, signedCurlLine(ProjectRoot.PATH.resolve("docs/deployment.md")),
                "the README and docs/deployment.md show the same signed call");
        return line;
    }

    private static String signedCurlLine(Path document) throws IOException {
        Matcher block = Pattern.compile("(?s)```bash\n\\s*(curl [^`]*?--aws-sigv4[^`]*?)```")
                .matcher(Files.readString(document));
        assertTrue(block.find(), document.getFileName() + " shows a curl --aws-sigv4 call");
        return block.group(1).replace("\\\n", " ").replaceAll("\\s+", " ").trim();
    }

    /**
     * What the SDK's SigV4 signer ({@code Aws4Signer}, the one that signs exactly the headers it is given: the newer
     * {@code AwsV4HttpSigner} always adds and signs {@code x-amz-content-sha256}, which curl does not send for
     * {@code execute-api}) signs for the same method, URI, signed headers, body, credentials and time.
     */
    @SuppressWarnings("deprecation")
    static String sdkSignature(Received r, List<String> signedHeaders, String amzDate) {
        // The scheme is not part of what is signed.
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create("https://" + r.headers().get("host") + r.uri()))
                .contentStreamProvider(() -> new ByteArrayInputStream(r.body()));
        List<String> addedBySigner = List.of("host", "x-amz-date", "x-amz-security-token");
        for (String h : signedHeaders) {
            if (!addedBySigner.contains(h)) {
                request.putHeader(h, r.headers().get(h));
            }
        }
        Clock clock = Clock.fixed(ZonedDateTime.parse(amzDate, AMZ_DATE.withZone(ZoneOffset.UTC)).toInstant(),
                ZoneOffset.UTC);
        SdkHttpFullRequest signed = Aws4Signer.create().sign(request.build(), Aws4SignerParams.builder()
                .awsCredentials(AwsSessionCredentials.create(KEY_ID, SECRET, SESSION_TOKEN))
                .signingName("execute-api")
                .signingRegion(Region.of(REGION))
                .signingClockOverride(clock)
                .build());
        String authorization = signed.firstMatchingHeader("Authorization").orElseThrow();
        Matcher m = Pattern.compile("SignedHeaders=([^,]+), ?Signature=(\\w+)").matcher(authorization);
        assertTrue(m.find(), authorization);
        assertEquals(String.join(";", signedHeaders), m.group(1), "both signed the same headers");
        return m.group(2);
    }
}
