package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.Template.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The reader of CloudFormation YAML: SnakeYAML with the short-form intrinsic tags read as their long forms, on
 * scalar, sequence and mapping nodes, for every tag template.yaml uses.
 */
class CloudFormationYamlTest {
    @Test
    void theYamlReaderUnderstandsShortFormTags() {
        Map<String, Object> t = CloudFormationYaml.parse("""
                a: !Ref X
                b: !GetAtt R.Attr.Sub
                c: !Sub ["${V}", {V: !Ref Y}]
                d: !If [C, !Join [",", [a, b]], !Ref AWS::NoValue]
                e: !Condition C
                f: !Select [0, !GetAZs ""]
                """);
        assertEquals(ref("X"), t.get("a"));
        assertEquals(Map.of("Fn::GetAtt", List.of("R", "Attr.Sub")), t.get("b"));
        assertEquals(Map.of("Fn::Sub", List.of("${V}", Map.of("V", ref("Y")))), t.get("c"));
        assertEquals(Map.of("Fn::If", List.of("C", Map.of("Fn::Join", List.of(",", List.of("a", "b"))),
                ref("AWS::NoValue"))), t.get("d"));
        assertEquals(Map.of("Condition", "C"), t.get("e"));
        assertEquals(Map.of("Fn::Select", List.of(0, Map.of("Fn::GetAZs", ""))), t.get("f"));
        assertEquals(17, CloudFormationYaml.TAGS.size());
        assertThrows(RuntimeException.class, () -> CloudFormationYaml.parse("a: 1\na: 2\n"), "duplicate keys");
    }

    @Test
    void theShortFormsReadAsTheLongFormsOnScalarsSequencesAndMappings() {
        Map<String, Object> shortForm = CloudFormationYaml.parse("""
                a: !Equals [!Ref P, x]
                b: !Not [!Condition C]
                c: !And [!Condition C, !Or [!Condition D, !Condition E]]
                d: !Sub "${P}-x"
                e: !Base64 {Fn::Sub: x}
                f: !GetAtt [R, Arn]
                """);
        assertEquals(Map.of("Fn::Equals", List.of(ref("P"), "x")), shortForm.get("a"));
        assertEquals(Map.of("Fn::Not", List.of(Map.of("Condition", "C"))), shortForm.get("b"));
        assertEquals(Map.of("Fn::And", List.of(Map.of("Condition", "C"),
                Map.of("Fn::Or", List.of(Map.of("Condition", "D"), Map.of("Condition", "E"))))), shortForm.get("c"));
        assertEquals(Map.of("Fn::Sub", "${P}-x"), shortForm.get("d"));
        assertEquals(Map.of("Fn::Base64", Map.of("Fn::Sub", "x")), shortForm.get("e"));
        assertEquals(Map.of("Fn::GetAtt", List.of("R", "Arn")), shortForm.get("f"));
        assertEquals(CloudFormationYaml.parse("""
                a: {Fn::Equals: [{Ref: P}, x]}
                b: {Fn::Not: [{Condition: C}]}
                c: {Fn::And: [{Condition: C}, {Fn::Or: [{Condition: D}, {Condition: E}]}]}
                d: {Fn::Sub: "${P}-x"}
                e: {Fn::Base64: {Fn::Sub: x}}
                f: {Fn::GetAtt: [R, Arn]}
                """), shortForm);
        assertThrows(RuntimeException.class, () -> CloudFormationYaml.parse("a: !GetAtt NoDot\n"), "!GetAtt R.Attr");
        assertThrows(RuntimeException.class, () -> CloudFormationYaml.parse("a: !NoSuchTag x\n"), "unknown tag");
    }

    /** Every tag template.yaml uses is one the reader knows, and each gives its long form in what it reads. */
    @Test
    void everyTagTheTemplateUsesReadsAsItsLongForm() throws IOException {
        String yaml = Files.readString(DeploymentFiles.ROOT.resolve("template.yaml"));
        Set<String> used = new TreeSet<>();
        collectTags(new Yaml().compose(new StringReader(yaml)), used);
        assertTrue(used.containsAll(Set.of("!Ref", "!Sub", "!GetAtt", "!If", "!Equals", "!Condition")), used.toString());
        assertTrue(CloudFormationYaml.TAGS.keySet().containsAll(used), "tags the reader does not know: " + used);

        Set<String> keys = new TreeSet<>();
        collectKeys(CloudFormationYaml.parse(yaml), keys);
        for (String tag : used) {
            assertTrue(keys.contains(CloudFormationYaml.TAGS.get(tag)), tag + " never read as its long form");
        }
    }

    /** The tags of a composed YAML tree that are not YAML's own (those start with "tag:yaml.org"). */
    private static void collectTags(Node node, Set<String> tags) {
        if (node.getTag().getValue().startsWith("!")) {
            tags.add(node.getTag().getValue());
        }
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                collectTags(tuple.getKeyNode(), tags);
                collectTags(tuple.getValueNode(), tags);
            }
        } else if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(child -> collectTags(child, tags));
        }
    }

    /** Every mapping key of a read tree. */
    private static void collectKeys(Object value, Set<String> keys) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                keys.add(String.valueOf(k));
                collectKeys(v, keys);
            });
        } else if (value instanceof List<?> list) {
            list.forEach(v -> collectKeys(v, keys));
        }
    }
}
