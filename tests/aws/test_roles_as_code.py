"""Roles as code, read back by the tools that will use them: every role of the demo world and the
walk-through's new role, exported by crossrole's IAM extension GetRoleAsCode, is a CloudFormation
template cfn-lint passes with no error and Terraform python-hcl2 parses; the documents and
settings inside equal what IAM (boto3) reports of the role itself.

CloudFormation: "AWS::IAM::Role" in the CloudFormation User Guide's template reference.
Terraform: the aws provider's aws_iam_role, aws_iam_role_policy, aws_iam_role_policy_attachment;
heredocs and the `$${` escape as the Terraform language's "Strings and Templates" page defines.
"""

import json
import re
import textwrap

import cfnlint.api
import cfnlint.decode
import hcl2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORP_ADMIN, PROD_ADMIN
from test_admin import NS, TRUST_WITH_MFA, switch_access

ROLES = [
    (CORP_ADMIN, "SensitiveDataAccess"),
    (PROD_ADMIN, "AccessToProdDynamoDB"),
    (PROD_ADMIN, "ProdOperator"),
    (PROD_ADMIN, "AccessToProdBilling"),
]
BILLING_PERMISSIONS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["dynamodb:Scan", "dynamodb:GetItem"],
                   "Resource": "arn:aws:dynamodb:us-west-2:222222222222:table/Billing"}],
}


@pytest.fixture
def world(emulator):
    """The demo world with the walk-through's new role (its permissions carry a policy variable,
    which Terraform must keep literal)."""
    iam = emulator.client("iam", PROD_ADMIN)
    iam.create_role(RoleName="AccessToProdBilling", AssumeRolePolicyDocument=TRUST_WITH_MFA,
                    Description="Billing, read-only, with MFA")
    iam.put_role_policy(RoleName="AccessToProdBilling", PolicyName="AccessToProdBillingPermissions",
                        PolicyDocument=json.dumps(BILLING_PERMISSIONS))
    iam.put_role_policy(RoleName="AccessToProdBilling", PolicyName="OwnPrefix", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                       "Resource": "arn:aws:s3:::billing-exports/${aws:userid}/*"}],
    }))
    return emulator


def role_as_iam_says(emulator, creds, name) -> dict:
    """What IAM reports of a role, through boto3: the shape both exports must carry."""
    iam = emulator.client("iam", creds)
    role = iam.get_role(RoleName=name)["Role"]
    inline = {
        policy: iam.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"]
        for policy in iam.list_role_policies(RoleName=name)["PolicyNames"]
    }
    managed = sorted(p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"])
    return {
        "name": role["RoleName"],
        "path": role["Path"],
        "max_session_duration": role["MaxSessionDuration"],
        "description": role.get("Description"),
        "trust": role["AssumeRolePolicyDocument"],
        "inline": inline,
        "managed": managed,
        "boundary": role.get("PermissionsBoundary", {}).get("PermissionsBoundaryArn"),
    }


def export(emulator, creds, name, form) -> str:
    status, root = switch_access(emulator, creds, action="GetRoleAsCode", RoleName=name, Format=form)
    assert status == 200, root
    return root.findtext(".//iam:GetRoleAsCodeResult/iam:Template", namespaces=NS)


def from_cloudformation(template: str) -> dict:
    parsed, errors = cfnlint.decode.decode_str(template)
    assert not errors, errors
    [(_, resource)] = parsed["Resources"].items()
    assert resource["Type"] == "AWS::IAM::Role"
    p = resource["Properties"]
    return {
        "name": p["RoleName"],
        "path": p["Path"],
        "max_session_duration": p["MaxSessionDuration"],
        "description": p.get("Description"),
        "trust": p["AssumeRolePolicyDocument"],
        "inline": {i["PolicyName"]: i["PolicyDocument"] for i in p.get("Policies", [])},
        "managed": sorted(p.get("ManagedPolicyArns", [])),
        "boundary": p.get("PermissionsBoundary"),
    }


def terraform_value(raw):
    """A value as Terraform reads it: a quoted string's escapes, a heredoc's `<<-` indentation
    removed, and in both the template escapes `$${` and `%%{` read as the literal `${` and `%{`."""
    if not isinstance(raw, str) or not raw.startswith('"'):
        return raw  # a number, or an expression such as a reference: "${aws_iam_role.x.id}"
    if raw.startswith('"<<-'):
        marker, _, rest = raw[1:-1].partition("\n")
        body, _, _ = rest.rpartition("\n")
        text = textwrap.dedent(body) + "\n"
        assert marker == "<<-EOT"
    else:
        text = json.loads(raw)
    def literal(m):
        if m.group(0) in ("${", "%{"):
            raise ValueError(f"Terraform would read {m.group(0)} as a template in {text!r}")
        return m.group(0)[1:]
    return re.sub(r"\$\$\{|%%\{|\$\{|%\{", literal, text)


def from_terraform(text: str) -> dict:
    parsed = hcl2.loads(text)
    blocks, names = {}, set()
    for resource in parsed["resource"]:
        for kind, named in resource.items():
            for label, body in named.items():
                fields = {k: terraform_value(v) for k, v in body.items() if not k.startswith("__")}
                blocks.setdefault(json.loads(kind), []).append(fields)
                names.add((json.loads(kind), json.loads(label)))
    assert len(names) == sum(len(b) for b in blocks.values()), "two resources share an address"
    [role] = blocks["aws_iam_role"]
    [label] = [label for kind, label in names if kind == "aws_iam_role"]
    # Each policy names the role through a reference, so Terraform creates the role first.
    for policy in blocks.get("aws_iam_role_policy", []):
        assert policy["role"] == "${aws_iam_role.%s.id}" % label
    for attachment in blocks.get("aws_iam_role_policy_attachment", []):
        assert attachment["role"] == "${aws_iam_role.%s.name}" % label
    return {
        "name": role["name"],
        "path": role["path"],
        "max_session_duration": role["max_session_duration"],
        "description": role.get("description"),
        "trust": json.loads(role["assume_role_policy"]),
        "inline": {p["name"]: json.loads(p["policy"]) for p in blocks.get("aws_iam_role_policy", [])},
        "managed": sorted(a["policy_arn"] for a in blocks.get("aws_iam_role_policy_attachment", [])),
        "boundary": role.get("permissions_boundary"),
    }


@pytest.mark.parametrize("creds,name", ROLES, ids=[name for _, name in ROLES])
def test_cloudformation_passes_cfn_lint_and_carries_the_role(world, creds, name):
    template = export(world, creds, name, "CloudFormation")
    errors = [m for m in cfnlint.api.lint(template, regions=["us-west-2"]) if m.rule.id.startswith("E")]
    assert errors == [], "\n".join(str(e) for e in errors) + "\n" + template
    assert from_cloudformation(template) == role_as_iam_says(world, creds, name)


@pytest.mark.parametrize("creds,name", ROLES, ids=[name for _, name in ROLES])
def test_terraform_parses_and_carries_the_role(world, creds, name):
    text = export(world, creds, name, "Terraform")
    assert from_terraform(text) == role_as_iam_says(world, creds, name), text


def test_the_checks_see_a_broken_export(world):
    """The comparisons above would notice a template that lost a statement or an unescaped
    variable, and cfn-lint notices a property CloudFormation does not have."""
    template = export(world, PROD_ADMIN, "AccessToProdBilling", "CloudFormation")
    broken = template.replace("MaxSessionDuration", "MaxSessionLength")
    assert [m for m in cfnlint.api.lint(broken, regions=["us-west-2"]) if m.rule.id.startswith("E")]
    text = export(world, PROD_ADMIN, "AccessToProdBilling", "Terraform")
    assert "$${aws:userid}" in text
    with pytest.raises(ValueError, match="as a template"):
        from_terraform(text.replace("$${aws:userid}", "${aws:userid}"))
    fewer = text.replace('"dynamodb:GetItem"', '"dynamodb:Query"')
    assert from_terraform(fewer) != role_as_iam_says(world, PROD_ADMIN, "AccessToProdBilling")


# Text as IAM takes it in a policy document (IAM API Reference, PutRolePolicy: PolicyDocument's
# pattern [\u0009\u000A\u000D\u0020-\u00FF]+), weighted towards what each format treats
# specially: HCL's template openers, YAML's and JSON's quotes and escapes, YAML's line breaks.
POLICY_TEXT = st.lists(
    st.one_of(
        st.sampled_from(["${", "%{", "$${", "}", '"', "'", "\\", ": ", " #", "\n", "\t", "\r", "\x85", "\xa0", "*"]),
        st.characters(min_codepoint=0x20, max_codepoint=0xFF),
    ),
    max_size=12,
).map("".join)
STATEMENT = st.fixed_dictionaries(
    {
        "Effect": st.sampled_from(["Allow", "Deny"]),
        "Action": st.one_of(st.just("s3:GetObject"), st.lists(st.sampled_from(["dynamodb:Scan", "s3:*", "sqs:Send*"]), min_size=1, max_size=3)),
        "Resource": st.lists(POLICY_TEXT.map(lambda t: "arn:aws:s3:::bucket/" + t), min_size=1, max_size=3),
    },
    optional={"Condition": st.fixed_dictionaries({"StringLike": st.fixed_dictionaries({"aws:userid": POLICY_TEXT})})},
)
DOCUMENT = st.fixed_dictionaries({"Version": st.just("2012-10-17"), "Statement": st.lists(STATEMENT, min_size=1, max_size=3)})


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(permissions=DOCUMENT, condition=POLICY_TEXT)
def test_any_role_exports_to_documents_equal_to_its_own(emulator, permissions, condition):
    """A property over generated roles: whatever text IAM takes in their documents, both exports
    carry documents equal to the role's (CloudFormation read by cfn-lint's YAML loader, Terraform
    by python-hcl2 and Terraform's own reading of heredocs)."""
    iam = emulator.client("iam", PROD_ADMIN)
    trust = json.loads(TRUST_WITH_MFA)
    trust["Statement"][0]["Condition"]["StringLike"] = {"sts:ExternalId": condition or "none"}
    try:
        iam.delete_role_policy(RoleName="Generated", PolicyName="Generated")
        iam.update_assume_role_policy(RoleName="Generated", PolicyDocument=json.dumps(trust))
    except iam.exceptions.NoSuchEntityException:
        iam.create_role(RoleName="Generated", AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName="Generated", PolicyName="Generated", PolicyDocument=json.dumps(permissions))
    role = role_as_iam_says(emulator, PROD_ADMIN, "Generated")
    assert role["inline"] == {"Generated": permissions} and role["trust"] == trust
    assert from_cloudformation(export(emulator, PROD_ADMIN, "Generated", "CloudFormation")) == role
    assert from_terraform(export(emulator, PROD_ADMIN, "Generated", "Terraform")) == role
