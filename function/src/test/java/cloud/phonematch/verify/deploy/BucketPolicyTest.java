package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.DeploymentFiles.scenarios;
import static cloud.phonematch.verify.deploy.DeploymentFiles.template;
import static cloud.phonematch.verify.deploy.Template.list;
import static cloud.phonematch.verify.deploy.Template.map;
import static cloud.phonematch.verify.deploy.Template.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The S3 buckets the stack creates: every request to each of them must come over TLS (a bucket policy denies
 * everything else), and the batch buckets, which hold names and numbers (input) and masked numbers (results), have
 * S3 server access logs in a bucket of their own: private, encrypted, expiring, TLS-only, written by S3's logging
 * service for these buckets of this account only.
 */
@ExtendWith(DeploymentFiles.Loaded.class)
class BucketPolicyTest {
    static final String ACCESS_LOG_BUCKET = "BatchAccessLogBucket";
    static final List<String> BATCH_BUCKETS = List.of("BatchInputBucketResource", "BatchResultsBucketResource");

    @Test
    void everyBucketTheStackCreatesDeniesRequestsWithoutTls() {
        List<String> buckets = template.ofType("AWS::S3::Bucket");
        assertTrue(buckets.containsAll(BATCH_BUCKETS) && buckets.contains(ACCESS_LOG_BUCKET), String.valueOf(buckets));
        for (String bucket : buckets) {
            Map<String, Object> policy = policyOf(bucket);
            assertEquals(template.resource(bucket).get("Condition"), template.resource(policyName(bucket)).get("Condition"),
                    "the policy exists exactly when its bucket does");
            List<Map<String, Object>> denies = statements(policy).stream().filter(s -> "Deny".equals(s.get("Effect"))).toList();
            assertEquals(1, denies.size(), bucket);
            Map<String, Object> deny = denies.get(0);
            assertEquals("*", deny.get("Principal"), bucket);
            assertEquals("s3:*", deny.get("Action"), bucket);
            assertEquals(List.of(Map.of("Fn::GetAtt", List.of(bucket, "Arn")), Map.of("Fn::Sub", "${" + bucket + ".Arn}/*")),
                    deny.get("Resource"), "the bucket and every object in it: " + bucket);
            assertEquals(Map.of("Bool", Map.of("aws:SecureTransport", "false")), deny.get("Condition"), bucket);
        }
    }

    @Test
    void theBatchBucketsLogEveryRequestToTheAccessLogBucketUnderPrefixesOfTheirOwn() {
        List<Object> prefixes = new ArrayList<>();
        for (String bucket : BATCH_BUCKETS) {
            Map<String, Object> logging = map(template.properties(bucket).get("LoggingConfiguration"), bucket);
            assertEquals(ref(ACCESS_LOG_BUCKET), logging.get("DestinationBucketName"), bucket);
            String prefix = String.valueOf(logging.get("LogFilePrefix"));
            assertTrue(prefix.endsWith("/") && prefix.length() > 1, prefix);
            prefixes.add(prefix);
        }
        assertNotEquals(prefixes.get(0), prefixes.get(1));
        assertFalse(template.properties(ACCESS_LOG_BUCKET).containsKey("LoggingConfiguration"),
                "the access-log bucket does not log into itself");
    }

    @Test
    void theAccessLogBucketIsPrivateEncryptedAndExpires() {
        Map<String, Object> p = template.properties(ACCESS_LOG_BUCKET);
        Map<String, Object> sse = map(list(map(p.get("BucketEncryption"), "enc").get("ServerSideEncryptionConfiguration")).get(0), "sse");
        // SSE-S3: the encryption S3 server access logging can deliver into (not SSE-KMS).
        assertEquals(Map.of("SSEAlgorithm", "AES256"), sse.get("ServerSideEncryptionByDefault"));
        assertEquals(Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true,
                "RestrictPublicBuckets", true), p.get("PublicAccessBlockConfiguration"));
        assertEquals(List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced")),
                map(p.get("OwnershipControls"), "own").get("Rules"));
        Map<String, Object> rule = map(list(map(p.get("LifecycleConfiguration"), "lc").get("Rules")).get(0), "rule");
        assertEquals("Enabled", rule.get("Status"));
        assertEquals(ref("LogRetentionDays"), rule.get("ExpirationInDays"));
        assertEquals("Retain", template.resource(ACCESS_LOG_BUCKET).get("DeletionPolicy"),
                "kept with the buckets whose access it records");
    }

    @Test
    void onlyS3sLoggingServiceMayWriteTheAccessLogsAndOnlyForTheBatchBucketsOfThisAccount() {
        List<Map<String, Object>> allows = statements(policyOf(ACCESS_LOG_BUCKET)).stream()
                .filter(s -> "Allow".equals(s.get("Effect"))).toList();
        assertEquals(1, allows.size());
        Map<String, Object> allow = allows.get(0);
        assertEquals(Map.of("Service", "logging.s3.amazonaws.com"), allow.get("Principal"));
        assertEquals("s3:PutObject", allow.get("Action"));
        assertEquals(Map.of("Fn::Sub", "${" + ACCESS_LOG_BUCKET + ".Arn}/*"), allow.get("Resource"));
        Map<String, Object> condition = map(allow.get("Condition"), "Condition");
        assertEquals(Map.of("aws:SourceAccount", ref("AWS::AccountId")), condition.get("StringEquals"));
        // For every choice of buckets: exactly the ARNs of the batch buckets the stack creates.
        for (Map<String, String> values : scenarios) {
            if (!template.exists(ACCESS_LOG_BUCKET, values)) {
                assertTrue(BATCH_BUCKETS.stream().noneMatch(b -> template.exists(b, values)),
                        "a created batch bucket has its access-log bucket: " + values);
                continue;
            }
            Object sources = map(map(template.resolve(condition, values), "c").get("ArnLike"), "ArnLike").get("aws:SourceArn");
            List<Object> expected = BATCH_BUCKETS.stream().filter(b -> template.exists(b, values))
                    .map(b -> (Object) Map.of("Fn::GetAtt", List.of(b, "Arn"))).toList();
            assertFalse(expected.isEmpty(), "no access-log bucket without a batch bucket: " + values);
            assertEquals(expected, list(sources), String.valueOf(values));
        }
    }

    private static String policyName(String bucket) {
        List<String> policies = template.ofType("AWS::S3::BucketPolicy").stream()
                .filter(p -> ref(bucket).equals(template.properties(p).get("Bucket"))).toList();
        assertEquals(1, policies.size(), "one bucket policy for " + bucket + ": " + policies);
        return policies.get(0);
    }

    private static Map<String, Object> policyOf(String bucket) {
        return map(template.properties(policyName(bucket)).get("PolicyDocument"), bucket + " policy");
    }

    private static List<Map<String, Object>> statements(Map<String, Object> policy) {
        return list(policy.get("Statement")).stream().map(s -> map(s, "statement")).toList();
    }
}
