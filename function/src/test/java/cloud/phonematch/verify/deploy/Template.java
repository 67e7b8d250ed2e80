package cloud.phonematch.verify.deploy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed template and a small evaluator of what CloudFormation decides at deploy time from parameter
 * values alone: {@code Ref} to a parameter, the condition functions, {@code Fn::If} and
 * {@code AWS::NoValue}. Everything else (resource references, {@code Fn::Sub}, {@code Fn::GetAtt}) is left
 * as it is, so a check can still see which resource a value refers to.
 */
final class Template {
    /** What {@code Ref AWS::NoValue} evaluates to; removed from the enclosing map or list. */
    static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "AWS::NoValue";
        }
    };

    private final Map<String, Object> root;

    Template(Map<String, Object> root) {
        this.root = root;
    }

    Map<String, Object> root() {
        return root;
    }

    Map<String, Object> section(String name) {
        return map(root.getOrDefault(name, Map.of()), name);
    }

    Map<String, Object> parameters() {
        return section("Parameters");
    }

    Map<String, Object> resources() {
        return section("Resources");
    }

    Map<String, Object> conditions() {
        return section("Conditions");
    }

    Map<String, Object> outputs() {
        return section("Outputs");
    }

    Map<String, Object> resource(String logicalId) {
        Object r = resources().get(logicalId);
        if (r == null) {
            throw new AssertionError("template.yaml has no resource " + logicalId);
        }
        return map(r, logicalId);
    }

    String type(String logicalId) {
        return (String) resource(logicalId).get("Type");
    }

    Map<String, Object> properties(String logicalId) {
        return map(resource(logicalId).getOrDefault("Properties", Map.of()), logicalId + ".Properties");
    }

    /** Logical ids of the resources of one type, in template order. */
    List<String> ofType(String type) {
        List<String> ids = new ArrayList<>();
        resources().forEach((id, r) -> {
            if (type.equals(map(r, id).get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** Every parameter's default (as CloudFormation passes it: a string), then {@code overrides}. */
    Map<String, String> parameterValues(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        parameters().forEach((name, p) -> {
            Object d = map(p, name).get("Default");
            if (d != null) {
                values.put(name, String.valueOf(d));
            }
        });
        overrides.forEach((k, v) -> {
            if (!parameters().containsKey(k)) {
                throw new AssertionError("no parameter " + k + " in template.yaml");
            }
            values.put(k, v);
        });
        return values;
    }

    /** The value of a condition of the Conditions section for these parameter values. */
    boolean condition(String name, Map<String, String> values) {
        Object c = conditions().get(name);
        if (c == null) {
            throw new AssertionError("no condition " + name + " in template.yaml");
        }
        return truth(c, values);
    }

    /** Evaluates a condition function ({@code Fn::Equals}, {@code Fn::Not}, {@code Fn::And}, {@code Fn::Or}, {@code Condition}). */
    boolean truth(Object node, Map<String, String> values) {
        Map<String, Object> fn = map(node, "condition");
        if (fn.size() != 1) {
            throw new AssertionError("not a condition function: " + node);
        }
        var e = fn.entrySet().iterator().next();
        List<?> args = e.getValue() instanceof List<?> l ? l : List.of();
        return switch (e.getKey()) {
            case "Condition" -> condition((String) e.getValue(), values);
            case "Fn::Equals" -> Objects.equals(scalar(resolve(args.get(0), values)),
                    scalar(resolve(args.get(1), values)));
            case "Fn::Not" -> !truth(args.get(0), values);
            case "Fn::And" -> args.stream().allMatch(a -> truth(a, values));
            case "Fn::Or" -> args.stream().anyMatch(a -> truth(a, values));
            default -> throw new AssertionError("not a condition function: " + node);
        };
    }

    /** Whether a resource exists for these parameter values (its Condition, if any). */
    boolean exists(String logicalId, Map<String, String> values) {
        Object c = resource(logicalId).get("Condition");
        return c == null || condition((String) c, values);
    }

    /**
     * {@code node} as CloudFormation sees it for these parameter values: parameter references replaced by
     * their values (pseudo parameters too when {@code values} holds them), {@code Fn::If} decided,
     * {@code AWS::NoValue} removed. Other intrinsics stay as they are.
     */
    Object resolve(Object node, Map<String, String> values) {
        if (node instanceof Map<?, ?> m) {
            if (m.size() == 1 && m.containsKey("Ref") && m.get("Ref") instanceof String ref) {
                if (ref.equals("AWS::NoValue")) {
                    return NO_VALUE;
                }
                if (parameters().containsKey(ref)) {
                    String v = values.get(ref);
                    if (v == null) {
                        throw new AssertionError("parameter " + ref + " has no value (no Default, no override)");
                    }
                    return v;
                }
                // A pseudo parameter (AWS::Partition, AWS::Region...) when the caller gives it a sample value.
                return values.containsKey(ref) ? values.get(ref) : node;
            }
            if (m.size() == 1 && m.get("Fn::If") instanceof List<?> args) {
                if (args.size() != 3) {
                    throw new AssertionError("Fn::If takes [condition, then, else]: " + node);
                }
                return resolve(condition((String) args.get(0), values) ? args.get(1) : args.get(2), values);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                Object r = resolve(v, values);
                if (r != NO_VALUE) {
                    out.put((String) k, r);
                }
            });
            return out;
        }
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object v : l) {
                Object r = resolve(v, values);
                if (r != NO_VALUE) {
                    out.add(r);
                }
            }
            return out;
        }
        return node;
    }

    /** A resource's properties as deployed with these parameter values. */
    Map<String, Object> resolvedProperties(String logicalId, Map<String, String> values) {
        return map(resolve(properties(logicalId), values), logicalId);
    }

    static String scalar(Object v) {
        return v == null ? null : String.valueOf(v);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String what) {
        if (!(o instanceof Map)) {
            throw new AssertionError(what + " is not a mapping: " + o);
        }
        return (Map<String, Object>) o;
    }

    static List<Object> list(Object o) {
        if (o instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        return o == null ? List.of() : List.of(o);
    }

    /** {@code {"Ref": id}}. */
    static Map<String, Object> ref(String id) {
        return Map.of("Ref", id);
    }
}
