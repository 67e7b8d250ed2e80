package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.Template.list;
import static cloud.phonematch.verify.deploy.Template.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every IAM statement the template grants, wherever it is written: the policies of {@code AWS::IAM::Role},
 * {@code AWS::IAM::Policy} and {@code AWS::IAM::ManagedPolicy} resources, and the {@code Policies} of SAM
 * functions and state machines (inline documents and SAM policy templates). Both branches of every
 * {@code Fn::If} are visited, so a statement that only exists for some parameter values is checked too.
 */
final class IamPolicies {
    /** The SAM policy templates the template may use, with the only actions each grants. */
    static final Map<String, Set<String>> POLICY_TEMPLATES = Map.of(
            "LambdaInvokePolicy", Set.of("lambda:InvokeFunction"));

    private IamPolicies() {
    }

    /**
     * One statement.
     *
     * @param owner the logical id of the resource whose permissions it is
     * @param conditions the template conditions it depends on ({@code X} inside the then-branch of
     *        {@code Fn::If [X, ...]}, {@code !X} inside the else-branch)
     * @param statement the statement; for a SAM policy template, {@code Action} lists what the template
     *        grants and {@code Resource} is {@code {"PolicyTemplate": {name: parameters}}}
     */
    record Grant(String owner, List<String> conditions, Map<String, Object> statement) {
        List<String> actions() {
            return list(statement.get("Action")).stream().map(String::valueOf).toList();
        }

        List<Object> resources() {
            return list(statement.get("Resource"));
        }

        @Override
        public String toString() {
            return owner + (conditions.isEmpty() ? "" : " " + conditions) + " " + statement;
        }
    }

    /** A managed policy attached by ARN or by name. */
    record Attachment(String owner, Object policy) {
    }

    static List<Grant> grants(Template template) {
        List<Grant> grants = new ArrayList<>();
        template.resources().forEach((id, r) -> {
            Map<String, Object> resource = map(r, id);
            Object type = resource.get("Type");
            Map<String, Object> props = map(resource.getOrDefault("Properties", Map.of()), id);
            if ("AWS::IAM::Role".equals(type)) {
                for (Branch policy : branches(props.get("Policies"), List.of())) {
                    Object document = map(policy.value(), id + " policy").get("PolicyDocument");
                    statements(id, document, policy.conditions(), grants);
                }
            } else if ("AWS::IAM::Policy".equals(type) || "AWS::IAM::ManagedPolicy".equals(type)) {
                statements(id, props.get("PolicyDocument"), List.of(), grants);
            } else if ("AWS::Serverless::Function".equals(type) || "AWS::Serverless::StateMachine".equals(type)) {
                for (Branch policy : branches(props.get("Policies"), List.of())) {
                    if (policy.value() instanceof Map<?, ?> m && m.containsKey("Statement")) {
                        statements(id, m, policy.conditions(), grants);
                    } else if (policy.value() instanceof Map<?, ?> m && m.size() == 1) {
                        String name = (String) m.keySet().iterator().next();
                        Set<String> actions = POLICY_TEMPLATES.get(name);
                        Map<String, Object> synthetic = new LinkedHashMap<>();
                        synthetic.put("Effect", "Allow");
                        synthetic.put("Action", actions == null ? List.of("<unknown policy template " + name + ">")
                                : List.copyOf(actions));
                        synthetic.put("Resource", Map.of("PolicyTemplate", Map.of(name, m.get(name))));
                        grants.add(new Grant(id, policy.conditions(), synthetic));
                    }
                }
            }
        });
        return grants;
    }

    /** Managed policies: {@code ManagedPolicyArns} of roles, and names/ARNs in SAM {@code Policies}. */
    static List<Attachment> attachments(Template template) {
        List<Attachment> out = new ArrayList<>();
        template.resources().forEach((id, r) -> {
            Map<String, Object> resource = map(r, id);
            Object type = resource.get("Type");
            Map<String, Object> props = map(resource.getOrDefault("Properties", Map.of()), id);
            if ("AWS::IAM::Role".equals(type)) {
                branches(props.get("ManagedPolicyArns"), List.of()).forEach(b -> out.add(new Attachment(id, b.value())));
            } else if ("AWS::Serverless::Function".equals(type) || "AWS::Serverless::StateMachine".equals(type)) {
                for (Branch policy : branches(props.get("Policies"), List.of())) {
                    if (!(policy.value() instanceof Map)) {
                        out.add(new Attachment(id, policy.value()));
                    }
                }
            }
        });
        return out;
    }

    /** What is wrong with one statement regardless of its purpose: "*" resources, wildcards, Not* forms. */
    static List<String> broadness(Grant grant) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> s = grant.statement();
        if (!"Allow".equals(s.get("Effect"))) {
            problems.add("only Allow statements are expected: " + grant);
        }
        for (String forbidden : List.of("NotAction", "NotResource", "NotPrincipal")) {
            if (s.containsKey(forbidden)) {
                problems.add(forbidden + " grants everything else: " + grant);
            }
        }
        if (grant.resources().isEmpty()) {
            problems.add("a statement without Resource: " + grant);
        }
        for (Branch resource : branches(s.get("Resource"), List.of())) {
            if ("*".equals(resource.value())) {
                problems.add("Resource \"*\": " + grant);
            }
        }
        for (String action : grant.actions()) {
            if (action.contains("*") || action.contains("?")) {
                problems.add("wildcard action " + action + ": " + grant);
            }
        }
        return problems;
    }

    private static void statements(String owner, Object document, List<String> conditions, List<Grant> out) {
        if (document == null) {
            return;
        }
        for (Branch doc : branches(document, conditions)) {
            Object statements = map(doc.value(), owner + " policy document").get("Statement");
            for (Branch statement : branches(statements, doc.conditions())) {
                out.add(new Grant(owner, statement.conditions(), map(statement.value(), owner + " statement")));
            }
        }
    }

    /** A value in one branch of the template's {@code Fn::If}s, with the conditions leading to it. */
    record Branch(Object value, List<String> conditions) {
    }

    /** Flattens lists and {@code Fn::If}s (both branches; {@code AWS::NoValue} dropped). */
    static List<Branch> branches(Object node, List<String> conditions) {
        List<Branch> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (node instanceof List<?> l) {
            for (Object item : l) {
                out.addAll(branches(item, conditions));
            }
        } else if (node instanceof Map<?, ?> m && m.size() == 1 && m.get("Fn::If") instanceof List<?> args) {
            String condition = (String) args.get(0);
            out.addAll(branches(args.get(1), with(conditions, condition)));
            out.addAll(branches(args.get(2), with(conditions, "!" + condition)));
        } else if (node instanceof Map<?, ?> m && m.size() == 1 && "AWS::NoValue".equals(m.get("Ref"))) {
            return out;
        } else {
            out.add(new Branch(node, conditions));
        }
        return out;
    }

    private static List<String> with(List<String> conditions, String condition) {
        List<String> c = new ArrayList<>(conditions);
        c.add(condition);
        return List.copyOf(c);
    }
}
