"""Expands template.yaml with the AWS SAM translator (the one cfn-lint and `sam deploy` use) and prints the
CloudFormation template as JSON. Local CodeUri and DefinitionUri are what `sam deploy` uploads: a placeholder S3 URI
stands in for the code, and each state machine's definition file is read inline. No AWS call is made: the managed
policy map is empty (the template attaches managed policies by ARN only) and the region comes from
AWS_DEFAULT_REGION.

Usage: AWS_DEFAULT_REGION=cn-north-1 python3 sam_translate.py template.yaml
"""
import json
import os
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicies:
    def load(self):
        return {}


def main(path):
    with open(path, encoding="utf-8") as f:
        template = yaml_parse(f.read())
    base = os.path.dirname(os.path.abspath(path))
    for resource in template.get("Resources", {}).values():
        properties = resource.get("Properties", {})
        if isinstance(properties.get("CodeUri"), str) and not properties["CodeUri"].startswith("s3://"):
            properties["CodeUri"] = "s3://placeholder-bucket/function.zip"
        if isinstance(properties.get("DefinitionUri"), str) and not properties["DefinitionUri"].startswith("s3://"):
            with open(os.path.join(base, properties.pop("DefinitionUri")), encoding="utf-8") as d:
                properties["Definition"] = json.load(d)
    json.dump(transform(template, {}, NoManagedPolicies()), sys.stdout, indent=1, default=str)


if __name__ == "__main__":
    main(sys.argv[1])
