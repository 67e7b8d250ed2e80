package cloud.phonematch.verify.deploy;

import static cloud.phonematch.verify.deploy.Template.map;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks that what a template refers to exists: parameters, resources, conditions, pseudo parameters. */
final class References {
    static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue",
            "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");

    /** {@code ${Name}} or {@code ${Name.Attribute}} in {@code Fn::Sub}; {@code ${!Literal}} is not a reference. */
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^!}][^}]*)}");

    private References() {
    }

    /** A reference found in the template: {@code kind} is Ref, GetAtt, Sub or Condition. */
    record Reference(String kind, String target, String where) {
    }

    /** Every reference in {@code node} (recursively); {@code Fn::Sub} variables of its own map are not references. */
    static void visit(Object node, String where, Consumer<Reference> sink) {
        if (node instanceof Map<?, ?> m) {
            if (m.size() == 1) {
                Object key = m.keySet().iterator().next();
                Object value = m.get(key);
                switch (String.valueOf(key)) {
                    case "Ref" -> sink.accept(new Reference("Ref", String.valueOf(value), where));
                    case "Condition" -> {
                        if (value instanceof String c) {
                            sink.accept(new Reference("Condition", c, where));
                        }
                    }
                    case "Fn::GetAtt" -> {
                        List<?> args = value instanceof List<?> l ? l : List.of(String.valueOf(value).split("\\.", 2));
                        sink.accept(new Reference("GetAtt", String.valueOf(args.get(0)), where));
                    }
                    case "Fn::If" -> {
                        if (value instanceof List<?> l && !l.isEmpty()) {
                            sink.accept(new Reference("Condition", String.valueOf(l.get(0)), where));
                            l.subList(1, l.size()).forEach(v -> visit(v, where, sink));
                        }
                        return;
                    }
                    case "Fn::Sub" -> {
                        String text;
                        Set<String> local = new HashSet<>();
                        if (value instanceof List<?> l) {
                            text = String.valueOf(l.get(0));
                            if (l.size() > 1) {
                                Map<String, Object> vars = map(l.get(1), where + " Fn::Sub variables");
                                local.addAll(vars.keySet());
                                vars.values().forEach(v -> visit(v, where, sink));
                            }
                        } else {
                            text = String.valueOf(value);
                        }
                        Matcher matcher = SUB_VARIABLE.matcher(text);
                        while (matcher.find()) {
                            String variable = matcher.group(1).trim();
                            if (!local.contains(variable)) {
                                sink.accept(new Reference("Sub", variable, where));
                            }
                        }
                        return;
                    }
                    default -> {
                    }
                }
            }
            m.forEach((k, v) -> visit(v, where + "." + k, sink));
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                visit(l.get(i), where + "[" + i + "]", sink);
            }
        }
    }

    /** References to names that exist nowhere in the template. */
    static List<String> unknown(Template template) {
        Set<String> parameters = template.parameters().keySet();
        Set<String> resources = template.resources().keySet();
        Set<String> conditions = template.conditions().keySet();
        Set<String> samGenerated = samGeneratedReferences(template);
        List<String> problems = new ArrayList<>();
        visit(template.root(), "template", ref -> {
            String target = ref.target();
            boolean known = switch (ref.kind()) {
                case "Condition" -> conditions.contains(target);
                case "GetAtt" -> resources.contains(target);
                case "Ref" -> parameters.contains(target) || resources.contains(target)
                        || PSEUDO_PARAMETERS.contains(target) || samGenerated.contains(target);
                case "Sub" -> {
                    String base = target.contains(".") && !target.startsWith("AWS::")
                            ? target.substring(0, target.indexOf('.'))
                            : target;
                    yield parameters.contains(target) || resources.contains(base) || PSEUDO_PARAMETERS.contains(target)
                            || samGenerated.contains(target);
                }
                default -> false;
            };
            if (!known) {
                problems.add(ref.kind() + " " + target + " at " + ref.where() + " names nothing in the template");
            }
        });
        template.resources().forEach((id, r) -> {
            Map<String, Object> resource = map(r, id);
            Object condition = resource.get("Condition");
            if (condition != null && !conditions.contains(condition)) {
                problems.add("resource " + id + " has an unknown Condition " + condition);
            }
            for (Object dependency : Template.list(resource.get("DependsOn"))) {
                if (!resources.contains(dependency)) {
                    problems.add("resource " + id + " DependsOn unknown " + dependency);
                }
            }
        });
        return problems;
    }

    /**
     * References, for these parameter values, to resources that these values do not create (a resource whose
     * Condition is false): CloudFormation rejects such a template at deploy time.
     */
    static List<String> dangling(Template template, Map<String, String> values) {
        Set<String> absent = new HashSet<>();
        template.resources().keySet().forEach(id -> {
            if (!template.exists(id, values)) {
                absent.add(id);
            }
        });
        List<String> problems = new ArrayList<>();
        Consumer<Reference> check = ref -> {
            String base = ref.target().contains(".") ? ref.target().substring(0, ref.target().indexOf('.'))
                    : ref.target();
            if (!ref.kind().equals("Condition") && absent.contains(base)) {
                problems.add(ref.kind() + " " + ref.target() + " at " + ref.where()
                        + " refers to a resource that is not created for " + values);
            }
        };
        template.resources().forEach((id, r) -> {
            if (!absent.contains(id)) {
                visit(template.resolve(map(r, id), values), id, check);
            }
        });
        template.outputs().forEach((name, o) -> {
            Object condition = map(o, name).get("Condition");
            if (condition == null || template.condition((String) condition, values)) {
                visit(template.resolve(o, values), "Outputs." + name, check);
            }
        });
        return problems;
    }

    /** SAM's references to resources it generates: {@code Function.Alias}, {@code Function.Version}. */
    static Set<String> samGeneratedReferences(Template template) {
        Set<String> names = new HashSet<>();
        template.resources().forEach((id, r) -> {
            Map<String, Object> resource = map(r, id);
            if ("AWS::Serverless::Function".equals(resource.get("Type"))
                    && map(resource.getOrDefault("Properties", Map.of()), id).get("AutoPublishAlias") != null) {
                names.add(id + ".Alias");
                names.add(id + ".Version");
            }
        });
        return names;
    }
}
