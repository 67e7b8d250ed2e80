package cloud.phonematch.verify.secrets;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.aws.AwsJsonClient;
import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.priming.Placeholders;
import cloud.phonematch.verify.priming.PlayedService;
import cloud.phonematch.verify.priming.ServiceRehearsal;
import cloud.phonematch.verify.verification.Deadline;

/**
 * The token's read, rehearsed: GetSecretValue through {@link SecretsManagerAccess}'s retries and SigV4 on a client set
 * up as the function's own (region, endpoint resolution), its reply read as a token secret. The played Secrets Manager
 * holds {@link Placeholders#TOKEN} under the configured field, as a JSON secret made in the console would.
 */
@Singleton
public class SecretReadRehearsal implements ServiceRehearsal {
    public static final String SERVICE = "Secrets Manager";

    private final SecretsManagerAccess secrets;
    private final TokenSettings settings;
    private final Clock clock;

    public SecretReadRehearsal(SecretsManagerAccess secrets, TokenSettings settings, Clock clock) {
        this.secrets = secrets;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public PlayedService played() {
        return SecretsManagerAccess.SECRETS_MANAGER.played(SERVICE, getSecretValueReply());
    }

    /** GetSecretValue's answer. */
    private String getSecretValueReply() {
        ObjectNode reply = Json.object().put("ARN", "arn:aws:secretsmanager:us-east-1:000000000000:secret:priming")
                .put("Name", Placeholders.ID).put("VersionId", Placeholders.ID)
                .put("SecretString", Json.write(Json.object().put(settings.tokenSecretField(), Placeholders.TOKEN)));
        reply.putArray("VersionStages").add("AWSCURRENT");
        return Json.write(reply);
    }

    /** The SDK's signer, endpoint rules, request model and the credential and region chains Lambda's setup asks. */
    @Override
    public List<String> firstCallClasses() {
        return List.of("software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner",
                "software.amazon.awssdk.services.secretsmanager.endpoints.SecretsManagerEndpointProvider",
                "software.amazon.awssdk.http.SdkHttpRequest",
                "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider",
                "software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider",
                "software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider",
                "software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider",
                "software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain");
    }

    @Override
    public Run open(URI loopback, Duration timeout) {
        AwsJsonClient client = AwsJsonClient.rehearsal(SecretsManagerAccess.SECRETS_MANAGER, loopback,
                Placeholders.credentials(), timeout, clock);
        return new Run() {
            @Override
            public void round() {
                Deadline deadline = Placeholders.deadline(timeout);
                TokenSecretFormat.parse(secrets.secretString(client, Placeholders.ID, deadline),
                        settings.tokenSecretField(), settings.hashKeyField())
                        .orElseThrow(() -> new IllegalStateException("the played secret held no token"));
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }
}
