package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.DeploymentFiles.deployable;
import static cloud.phonematch.verify.deploy.DeploymentFiles.environmentFor;
import static cloud.phonematch.verify.deploy.DeploymentFiles.reparsed;
import static cloud.phonematch.verify.deploy.DeploymentFiles.template;
import static cloud.phonematch.verify.deploy.IamExpectations.RECORDS_TABLE_ARN;
import static cloud.phonematch.verify.deploy.IamExpectations.iamProblems;
import static cloud.phonematch.verify.deploy.IamExpectations.policyText;
import static cloud.phonematch.verify.deploy.Template.list;
import static cloud.phonematch.verify.deploy.Template.map;
import static cloud.phonematch.verify.deploy.Template.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import cloud.phonematch.verify.deploy.IamPolicies.Grant;
import cloud.phonematch.verify.records.DynamoDbRecordStore;

/**
 * The records table of template.yaml against the DynamoDB store: created exactly when records are on, with the
 * store's key, TTL and operations, and DynamoDB permissions on that table only. Plain JUnit.
 */
@ExtendWith(DeploymentFiles.Loaded.class)
class TemplateRecordsTableTest {
    @Test
    void theRecordsTableExistsExactlyWhenOnWithTheStoresKeyTtlAndOperations() {
        Map<String, Object> parameter = map(template.parameters().get("Records"), "Records");
        assertEquals("dynamodb", parameter.get("Default"));
        assertEquals(List.of("dynamodb", "off"), list(parameter.get("AllowedValues")));

        Map<String, String> on = deployable(Map.of());
        assertTrue(template.exists("RecordsTable", on));
        assertEquals("AWS::DynamoDB::Table", template.type("RecordsTable"));
        Map<String, Object> table = template.resolvedProperties("RecordsTable", on);
        assertEquals("PAY_PER_REQUEST", table.get("BillingMode"), "on demand");
        assertEquals(List.of(Map.of("AttributeName", DynamoDbRecordStore.KEY_ATTRIBUTE, "KeyType", "HASH")),
                table.get("KeySchema"), "the store's key, the only key");
        assertEquals(List.of(Map.of("AttributeName", DynamoDbRecordStore.KEY_ATTRIBUTE, "AttributeType", "S")),
                table.get("AttributeDefinitions"));
        assertEquals(Map.of("AttributeName", DynamoDbRecordStore.TTL_ATTRIBUTE, "Enabled", true),
                table.get("TimeToLiveSpecification"), "the TTL reads the attribute the store writes (epoch seconds)");
        assertEquals(Map.of("PointInTimeRecoveryEnabled", true), table.get("PointInTimeRecoverySpecification"));
        assertEquals(Map.of("SSEEnabled", true), table.get("SSESpecification"));
        for (String absent : List.of("GlobalSecondaryIndexes", "LocalSecondaryIndexes", "ProvisionedThroughput",
                "StreamSpecification")) {
            assertFalse(table.containsKey(absent), absent);
        }
        assertEquals(ref("RecordsTable"), environmentFor(on).get("VERIFY_RECORDS_TABLE"));

        List<Grant> dynamodb = IamPolicies.grants(template).stream()
                .filter(g -> g.actions().stream().anyMatch(a -> a.startsWith("dynamodb:"))).toList();
        assertEquals(1, dynamodb.size(), dynamodb.toString());
        assertEquals("VerifyFunctionRole", dynamodb.get(0).owner());
        assertEquals(new TreeSet<>(DynamoDbRecordStore.OPERATIONS.stream().map(o -> "dynamodb:" + o).toList()),
                new TreeSet<>(dynamodb.get(0).actions()), "exactly what the store sends");
        assertEquals(List.of(RECORDS_TABLE_ARN), dynamodb.get(0).resources());
        assertTrue(policyText("VerifyFunctionRole", on).contains("dynamodb:PutItem"));

        Map<String, String> off = deployable(Map.of("Records", "off"));
        assertFalse(template.exists("RecordsTable", off));
        assertFalse(environmentFor(off).containsKey("VERIFY_RECORDS_TABLE"));
        assertFalse(policyText("VerifyFunctionRole", off).contains("dynamodb"), "no table, no DynamoDB permission");

        Map<String, Object> output = map(template.outputs().get("RecordsTableName"), "RecordsTableName");
        assertEquals("HasRecordsTable", output.get("Condition"));
        assertEquals(ref("RecordsTable"), output.get("Value"));
    }

    @Test
    void theIamCheckFlagsDynamoDbBeyondTheRecordsTable() throws IOException {
        assertTrue(iamProblems(template).isEmpty());

        Template index = reparsed();
        recordsStatement(index).put("Resource", Map.of("Fn::Sub", "${RecordsTable.Arn}/index/*"));
        assertFalse(iamProblems(index).isEmpty(), "an index of the table");

        Template read = reparsed();
        recordsStatement(read).put("Action", List.of("dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Scan"));
        assertFalse(iamProblems(read).isEmpty(), "an action the store does not send");

        Template everything = reparsed();
        recordsStatement(everything).put("Action", "dynamodb:*");
        assertFalse(iamProblems(everything).isEmpty(), "a wildcard");
    }

    /** The one statement of the function role's records policy (inside its Fn::If) in a template. */
    private static Map<String, Object> recordsStatement(Template t) {
        for (Object policy : list(t.properties("VerifyFunctionRole").get("Policies"))) {
            for (IamPolicies.Branch branch : IamPolicies.branches(policy, List.of())) {
                Map<String, Object> p = map(branch.value(), "policy");
                if ("write-records".equals(p.get("PolicyName"))) {
                    return map(list(map(p.get("PolicyDocument"), "doc").get("Statement")).get(0), "statement");
                }
            }
        }
        throw new AssertionError("no write-records policy on VerifyFunctionRole");
    }
}
