#!/usr/bin/env python3
"""Prints one environment variable of the function as template.yaml sets it for a given Runtime parameter.

Usage: template_env.py TEMPLATE RUNTIME NAME
The benchmarks start the function with the settings a deployment gives it (JAVA_TOOL_OPTIONS on the managed JVM
runtimes, DISABLE_SIGNAL_HANDLERS for the native one); this reads them from the template instead of repeating them,
resolving the !If conditions that depend on the Runtime parameter (Equals, Or, And, Not, Condition; any other
parameter takes its default). Exits 1 with one line when the variable is not set for that Runtime.
Needs PyYAML (installed with cfn-lint and moto).
"""
import sys

import yaml


class Tagged:
    def __init__(self, tag, value):
        self.tag, self.value = tag, value


def construct(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return Tagged(suffix, value)


class Loader(yaml.SafeLoader):
    pass


Loader.add_multi_constructor("!", construct)


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: template_env.py TEMPLATE RUNTIME NAME")
    path, runtime, name = sys.argv[1:]
    with open(path, encoding="utf-8") as f:
        template = yaml.load(f, Loader=Loader)
    parameters = {k: str(v.get("Default", "")) for k, v in template.get("Parameters", {}).items()}
    parameters["Runtime"] = runtime
    conditions = template.get("Conditions", {})

    def value(x):
        if isinstance(x, Tagged):
            if x.tag == "Ref":
                return parameters.get(x.value, Tagged("Ref", x.value))
            if x.tag == "Equals":
                return value(x.value[0]) == value(x.value[1])
            if x.tag == "Not":
                return not value(x.value[0])
            if x.tag == "Or":
                return any(value(c) for c in x.value)
            if x.tag == "And":
                return all(value(c) for c in x.value)
            if x.tag == "Condition":
                return value(conditions[x.value])
            if x.tag == "If":
                return value(x.value[1] if value(conditions[x.value[0]]) else x.value[2])
        if isinstance(x, dict) and len(x) == 1:
            (key, inner), = x.items()
            if key.startswith("Fn::") or key in ("Ref", "Condition"):
                return value(Tagged(key.replace("Fn::", ""), inner))
        return x

    functions = [r for r in template["Resources"].values() if r.get("Type") == "AWS::Serverless::Function"]
    variables = functions[0]["Properties"]["Environment"]["Variables"]
    result = value(variables.get(name))
    if result is None or (isinstance(result, Tagged) and result.value == "AWS::NoValue"):
        sys.exit(f"template.yaml sets no {name} for Runtime={runtime}")
    print(result)


if __name__ == "__main__":
    main()
