package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.DeploymentFiles.BATCH_STATE_MACHINE;
import static cloud.phonematch.verify.deploy.DeploymentFiles.FUNCTION;
import static cloud.phonematch.verify.deploy.DeploymentFiles.ONE_STATE_MACHINE;
import static cloud.phonematch.verify.deploy.DeploymentFiles.template;
import static cloud.phonematch.verify.deploy.Template.map;
import static cloud.phonematch.verify.deploy.Template.ref;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import cloud.phonematch.verify.deploy.IamPolicies.Grant;

/**
 * What the template's IAM may grant, role by role, and {@link #iamProblems(Template)}: every way a template's
 * statements go beyond that, as sentences. Shared by the IAM tests of this package.
 */
final class IamExpectations {
    /**
     * What Step Functions' documentation lists for a state machine's role to log to CloudWatch Logs ("IAM policies
     * for logging to CloudWatch Logs"): account-level log deliveries and resource policies, with no resource-level
     * permissions, so on "*". The second documented exception to "nothing on *", for the state machines only.
     */
    static final Set<String> LOG_DELIVERY_ACTIONS = Set.of("logs:CreateLogDelivery", "logs:GetLogDelivery",
            "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies", "logs:DescribeLogGroups");

    /** Actions each role may hold; a new role or action has to be added here on purpose. */
    static final Map<String, Set<String>> ALLOWED_ACTIONS = Map.of(
            "VerifyFunctionRole", Set.of("logs:CreateLogStream", "logs:PutLogEvents", "secretsmanager:GetSecretValue",
                    "kms:Decrypt", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem",
                    "dynamodb:GetItem"),
            ONE_STATE_MACHINE, with(Set.of("lambda:InvokeFunction"), LOG_DELIVERY_ACTIONS),
            BATCH_STATE_MACHINE, with(Set.of("lambda:InvokeFunction", "s3:GetObject", "s3:PutObject",
                    "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload", "states:StartExecution",
                    "states:DescribeExecution", "states:StopExecution", "states:RedriveExecution"), LOG_DELIVERY_ACTIONS));

    /** The records table's ARN, the only resource DynamoDB actions may name. */
    static final Map<String, Object> RECORDS_TABLE_ARN = Map.of("Fn::GetAtt", List.of("RecordsTable", "Arn"));

    /** The only managed policy: X-Ray has no resource-level permissions (documented in template.yaml). */
    static final Map<String, Object> XRAY_MANAGED_POLICY = Map.of("Fn::Sub",
            "arn:${AWS::Partition}:iam::aws:policy/AWSXrayWriteOnlyAccess");
    private IamExpectations() {
    }

    /** Everything that is wrong with the template's IAM, as sentences. */
    static List<String> iamProblems(Template t) {
        List<String> problems = new ArrayList<>();
        List<Grant> grants = IamPolicies.grants(t);
        if (grants.isEmpty()) {
            problems.add("no IAM statements found at all");
        }
        String batchName = String.valueOf(map(t.properties(BATCH_STATE_MACHINE).get("Name"), "Name").get("Fn::Sub"));
        for (Grant g : grants) {
            boolean logDelivery = isStateMachineLogDelivery(g);
            IamPolicies.broadness(g).stream()
                    .filter(p -> !(logDelivery && p.startsWith("Resource \"*\"")))
                    .forEach(problems::add);
            Set<String> allowed = ALLOWED_ACTIONS.get(g.owner());
            if (allowed == null) {
                problems.add("permissions for " + g.owner() + ", which is not expected to have any: " + g);
                continue;
            }
            for (String action : g.actions()) {
                if (!allowed.contains(action)) {
                    problems.add(g.owner() + " may not " + action + ": " + g);
                }
            }
            List<String> actions = g.actions();
            String resources = g.resources().toString();
            if (actions.contains("secretsmanager:GetSecretValue")
                    && (!g.resources().equals(List.of(ref("TokenSecretArn"))) || !g.conditions().contains("HasTokenSecret"))) {
                problems.add("GetSecretValue must be on exactly TokenSecretArn, and only when it is given: " + g);
            }
            if (actions.contains("kms:Decrypt") && (!g.resources().equals(List.of(ref("SecretKmsKeyArn")))
                    || !g.conditions().contains("HasSecretKmsKey") || !g.statement().containsKey("Condition"))) {
                problems.add("kms:Decrypt must be on exactly SecretKmsKeyArn, only when given, via Secrets Manager: " + g);
            }
            if (actions.stream().anyMatch(a -> a.startsWith("dynamodb:"))
                    && (!g.resources().equals(List.of(RECORDS_TABLE_ARN))
                            || !g.conditions().contains("HasRecordsTable"))) {
                problems.add("dynamodb actions only on the records table itself (no index, no other table), only when"
                        + " it exists: " + g);
            }
            if (actions.stream().anyMatch(a -> a.startsWith("logs:")) && !logDelivery
                    && !g.resources().equals(List.of(Map.of("Fn::GetAtt", List.of("VerifyLogGroup", "Arn"))))) {
                problems.add("logs actions only on the function's own log group, or exactly Step Functions' log"
                        + " delivery actions on a state machine's role: " + g);
            }
            if (actions.stream().anyMatch(a -> a.startsWith("states:")) && !resources.contains(batchName)) {
                problems.add("states actions only on the batch state machine itself (" + batchName + "): " + g);
            }
            if (actions.contains("lambda:InvokeFunction") && !g.resources().equals(List.of(ref(FUNCTION + ".Alias")))) {
                problems.add("lambda:InvokeFunction only on the verification function's published alias: " + g);
            }
            if (actions.stream().anyMatch(a -> a.startsWith("s3:"))
                    && !resources.contains("BatchInputBucket") && !resources.contains("BatchResultsBucket")) {
                problems.add("s3 actions only on the batch buckets: " + g);
            }
        }
        for (IamPolicies.Attachment a : IamPolicies.attachments(t)) {
            if (!(a.owner().equals("VerifyFunctionRole") && XRAY_MANAGED_POLICY.equals(a.policy()))) {
                problems.add("managed policy " + a.policy() + " on " + a.owner()
                        + ": only AWSXrayWriteOnlyAccess on the function's role is expected");
            }
        }
        return problems;
    }

    /** Exactly the documented log delivery actions, on "*", in a state machine's policies, with no condition. */
    static boolean isStateMachineLogDelivery(Grant g) {
        return (g.owner().equals(ONE_STATE_MACHINE) || g.owner().equals(BATCH_STATE_MACHINE))
                && Set.copyOf(g.actions()).equals(LOG_DELIVERY_ACTIONS) && g.actions().size() == LOG_DELIVERY_ACTIONS.size()
                && g.resources().equals(List.of("*")) && "Allow".equals(g.statement().get("Effect"));
    }

    private static Set<String> with(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** The resolved policies of a role as text, for these parameter values. */
    static String policyText(String role, Map<String, String> values) {
        return String.valueOf(template.resolvedProperties(role, values).get("Policies"));
    }
}
