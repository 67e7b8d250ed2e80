package bench.springpeer;

import java.net.URI;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Spring Cloud Function peer of the cold-start benchmark: the verification function as a Spring team would
 * typically deploy it on Lambda's managed Java runtime. Lambda calls the AWS adapter's {@code FunctionInvoker}, which
 * starts this application (found through the MAIN_CLASS environment variable) and applies the {@code verify} function
 * (SPRING_CLOUD_FUNCTION_DEFINITION) to each event.
 */
@SpringBootApplication
public class PeerApplication {

    public static void main(String[] args) {
        SpringApplication.run(PeerApplication.class, args);
    }

    /**
     * The Secrets Manager client as AWS advises for Lambda: the lightweight URL-connection HTTP client, the region
     * and credentials straight from the environment Lambda sets (no provider chain to walk). An endpoint override
     * in AWS_ENDPOINT_URL_SECRETS_MANAGER is applied by the SDK itself. Every wait is bounded.
     */
    @Bean(destroyMethod = "close")
    SecretsManagerClient secretsManagerClient() {
        return SecretsManagerClient.builder()
                .region(Region.of(System.getenv("AWS_REGION")))
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(1))
                        .socketTimeout(Duration.ofSeconds(3)))
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(5)))
                .build();
    }

    /** The verification API's client, on Boot's RestClient.Builder (timeouts from application.properties). */
    @Bean
    RestClient verificationApi(RestClient.Builder builder, @Value("${VERIFY_API_BASE_URL}") URI baseUrl) {
        return builder.baseUrl(baseUrl).build();
    }
}
