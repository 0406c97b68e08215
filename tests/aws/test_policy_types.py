"""Every policy type through the IAM API and the demo world, with boto3 against the emulator:
customer and AWS managed policies, permissions boundaries, and the demo organization's SCP.
Each test names the AWS page it follows."""

import json

import pytest
from botocore.exceptions import ClientError

from conftest import CORP_ADMIN, DAVID, DAVID_MFA_SERIAL, MARIA, PROD_ADMIN, as_pair

PROD_ROLE = "arn:aws:iam::222222222222:role/AccessToProdDynamoDB"
OPERATOR = "arn:aws:iam::222222222222:role/ops/ProdOperator"


def error_of(call):
    with pytest.raises(ClientError) as info:
        call()
    return info.value.response["Error"]


def scans(emulator, role_arn, creds=PROD_ADMIN, **kwargs):
    """A DynamoDB client acting in `role_arn` (ProdAdmin may assume production's roles)."""
    role = emulator.client("sts", creds).assume_role(RoleArn=role_arn, RoleSessionName="policies", **kwargs)
    c, token = as_pair(role["Credentials"])
    return emulator.client("dynamodb", c, token)


def readable(ddb, table):
    try:
        return bool(ddb.scan(TableName=table)["Items"])
    except ClientError as e:
        assert e.response["Error"]["Code"] == "AccessDeniedException", e.response
        return False


def test_customer_and_aws_managed_policies(emulator):
    """IAM User Guide, "Managed policies and inline policies"; IAM API Reference, CreatePolicy,
    GetPolicy, GetPolicyVersion, ListPolicies, AttachRolePolicy, ListAttachedRolePolicies,
    DetachRolePolicy."""
    iam = emulator.client("iam", PROD_ADMIN)
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "dynamodb:Scan", "Resource": "arn:aws:dynamodb:*:*:table/Players"}],
    }
    policy = iam.create_policy(PolicyName="ScanPlayers", Path="/team/", PolicyDocument=json.dumps(document), Description="Players")["Policy"]
    assert policy["Arn"] == "arn:aws:iam::222222222222:policy/team/ScanPlayers"
    assert policy["PolicyId"].startswith("ANPA") and policy["DefaultVersionId"] == "v1"
    assert iam.get_policy(PolicyArn=policy["Arn"])["Policy"]["AttachmentCount"] == 0
    version = iam.get_policy_version(PolicyArn=policy["Arn"], VersionId="v1")["PolicyVersion"]
    assert version["Document"] == document and version["IsDefaultVersion"]
    local = [p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]]
    assert "ScanPlayers" in local and "AdministratorAccess" not in local
    aws = [p["PolicyName"] for p in iam.list_policies(Scope="AWS")["Policies"]]
    assert {"AdministratorAccess", "ReadOnlyAccess", "IAMReadOnlyAccess"} <= set(aws)
    duplicate = lambda: iam.create_policy(PolicyName="ScanPlayers", PolicyDocument=json.dumps(document))
    assert error_of(duplicate)["Code"] == "EntityAlreadyExists"

    # Attached to a role, it counts like an inline policy.
    assert not readable(scans(emulator, OPERATOR), "Players")
    scratch = iam.create_role(
        RoleName="Scratch",
        AssumeRolePolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "222222222222"}, "Action": "sts:AssumeRole"}]}
        ),
    )["Role"]["Arn"]
    assert not readable(scans(emulator, scratch), "Players")
    iam.attach_role_policy(RoleName="Scratch", PolicyArn=policy["Arn"])
    assert readable(scans(emulator, scratch), "Players")
    attached = iam.list_attached_role_policies(RoleName="Scratch")["AttachedPolicies"]
    assert attached == [{"PolicyName": "ScanPlayers", "PolicyArn": policy["Arn"]}]
    assert iam.get_policy(PolicyArn=policy["Arn"])["Policy"]["AttachmentCount"] == 1
    assert error_of(lambda: iam.delete_role(RoleName="Scratch"))["Code"] == "DeleteConflict"
    iam.detach_role_policy(RoleName="Scratch", PolicyArn=policy["Arn"])
    assert not readable(scans(emulator, scratch), "Players")

    # An AWS managed policy.
    iam.attach_role_policy(RoleName="Scratch", PolicyArn="arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess")
    assert readable(scans(emulator, scratch), "Billing")
    missing = lambda: iam.attach_role_policy(RoleName="Scratch", PolicyArn="arn:aws:iam::aws:policy/NoSuchPolicy")
    assert error_of(missing)["Code"] == "NoSuchEntity"


def test_a_permissions_boundary_caps_the_role(emulator):
    """IAM User Guide, "Permissions boundaries for IAM entities": the demo ProdOperator has
    AmazonDynamoDBReadOnlyAccess attached but a boundary allowing GameScores only; removing
    the boundary lets the attached policy take effect."""
    iam = emulator.client("iam", PROD_ADMIN)
    role = iam.get_role(RoleName="ProdOperator")["Role"]
    assert role["PermissionsBoundary"]["PermissionsBoundaryArn"] == "arn:aws:iam::222222222222:policy/ProdOperatorBoundary"
    ddb = scans(emulator, OPERATOR)
    assert readable(ddb, "GameScores")
    refused = error_of(lambda: ddb.scan(TableName="Players"))
    assert "no permissions boundary allows" in refused["Message"]
    iam.delete_role_permissions_boundary(RoleName="ProdOperator")
    assert "PermissionsBoundary" not in iam.get_role(RoleName="ProdOperator")["Role"]
    assert readable(scans(emulator, OPERATOR), "Players")
    iam.put_role_permissions_boundary(
        RoleName="ProdOperator", PermissionsBoundary="arn:aws:iam::222222222222:policy/ProdOperatorBoundary"
    )
    assert not readable(scans(emulator, OPERATOR), "Players")


def test_the_demo_organization_s_scp_protects_the_switch_role(emulator):
    """AWS Organizations User Guide, "Service control policies": a Deny in the Production unit's
    SCP binds even ProdAdmin (AdministratorAccess); the management account is exempt."""
    iam = emulator.client("iam", PROD_ADMIN)
    doc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:Scan", "Resource": "*"}]})
    refused = error_of(lambda: iam.put_role_policy(RoleName="AccessToProdDynamoDB", PolicyName="More", PolicyDocument=doc))
    assert refused["Code"] == "AccessDenied"
    assert "explicit deny in a service control policy" in refused["Message"]
    # The switch itself is untouched: David still reads GameScores through the role.
    role = emulator.client("sts", DAVID).assume_role(
        RoleArn=PROD_ROLE, RoleSessionName="david", SerialNumber=DAVID_MFA_SERIAL, TokenCode=emulator.mfa_code()
    )
    c, token = as_pair(role["Credentials"])
    assert readable(emulator.client("dynamodb", c, token), "GameScores")


def test_simulate_principal_policy_answers_in_aws_shape(emulator):
    """IAM API Reference, SimulatePrincipalPolicy and SimulateCustomPolicy: EvalDecision,
    MatchedStatements, MissingContextValues, and the boundary's and organization's details."""
    iam = emulator.client("iam", CORP_ADMIN)
    results = iam.simulate_principal_policy(
        PolicySourceArn="arn:aws:iam::111111111111:user/David",
        ActionNames=["sts:AssumeRole", "dynamodb:Scan"],
        ResourceArns=[PROD_ROLE],
        ContextEntries=[
            {"ContextKeyName": "aws:MultiFactorAuthPresent", "ContextKeyValues": ["true"], "ContextKeyType": "boolean"}
        ],
    )["EvaluationResults"]
    assume, scan = results
    assert (assume["EvalActionName"], assume["EvalResourceName"], assume["EvalDecision"]) == (
        "sts:AssumeRole",
        PROD_ROLE,
        "allowed",
    )
    assert assume["MatchedStatements"][0]["SourcePolicyId"] == "AllowSwitchToProdDynamoDB"
    assert assume["MatchedStatements"][0]["SourcePolicyType"] == "group"
    assert scan["EvalDecision"] == "implicitDeny" and scan["MatchedStatements"] == []

    prod = emulator.client("iam", PROD_ADMIN)
    operator = prod.simulate_principal_policy(
        PolicySourceArn=OPERATOR,
        ActionNames=["dynamodb:Scan"],
        ResourceArns=["arn:aws:dynamodb:us-west-2:222222222222:table/Players"],
    )["EvaluationResults"][0]
    assert operator["EvalDecision"] == "implicitDeny"
    assert operator["PermissionsBoundaryDecisionDetail"]["AllowedByPermissionsBoundary"] is False
    assert operator["OrganizationsDecisionDetail"]["AllowedByOrganizations"] is True

    custom = prod.simulate_custom_policy(
        PolicyInputList=[
            json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "sts:AssumeRole",
                            "Resource": "*",
                            "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}},
                        }
                    ],
                }
            )
        ],
        ActionNames=["sts:AssumeRole"],
    )["EvaluationResults"][0]
    assert custom["EvalDecision"] == "implicitDeny"
    assert custom["MissingContextValues"] == ["aws:MultiFactorAuthAge"]


def test_simulate_custom_policy_reads_a_resource_policy(emulator):
    """IAM API Reference, SimulateCustomPolicy (ResourcePolicy, ResourceOwner, CallerArn): the
    resource policy is treated as attached to every simulated resource. IAM User Guide, "Policy
    evaluation logic": an explicit Deny in it wins over an identity Allow. "Cross-account policy
    evaluation logic": across accounts, the resource policy's Allow without an identity Allow is
    an implicit deny, and with one it is allowed."""
    iam = emulator.client("iam", CORP_ADMIN)
    bucket = "arn:aws:s3:::reports/*"
    david = "arn:aws:iam::111111111111:user/David"

    def policy(effect, principal=None):
        statement = {"Sid": f"S{effect}", "Effect": effect, "Action": "s3:GetObject", "Resource": bucket if principal else "*"}
        if principal:
            statement["Principal"] = {"AWS": principal}
        return json.dumps({"Version": "2012-10-17", "Statement": [statement]})

    def decide(identity_effect, resource, owner=None):
        extra = {"ResourceOwner": owner} if owner else {}
        return iam.simulate_custom_policy(
            PolicyInputList=[policy(identity_effect)],
            ActionNames=["s3:GetObject"],
            ResourceArns=[bucket],
            ResourcePolicy=resource,
            CallerArn=david,
            **extra,
        )["EvaluationResults"][0]

    denied = decide("Allow", policy("Deny", david))
    assert denied["EvalDecision"] == "explicitDeny"
    assert any(
        m["SourcePolicyId"] == "ResourcePolicy" and m["SourcePolicyType"] == "resource"
        for m in denied["MatchedStatements"]
    ), denied["MatchedStatements"]
    assert denied["ResourceSpecificResults"][0]["EvalResourceDecision"] == "explicitDeny"

    other = "arn:aws:iam::222222222222:root"
    trusting = policy("Allow", "arn:aws:iam::111111111111:root")
    assert decide("Deny", trusting, owner=other)["EvalDecision"] == "explicitDeny"
    # An identity policy that allows something else: no identity Allow for s3:GetObject.
    no_identity = iam.simulate_custom_policy(
        PolicyInputList=[json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]})],
        ActionNames=["s3:GetObject"],
        ResourceArns=[bucket],
        ResourcePolicy=trusting,
        ResourceOwner=other,
        CallerArn=david,
    )["EvaluationResults"][0]
    assert no_identity["EvalDecision"] == "implicitDeny"
    assert decide("Allow", trusting, owner=other)["EvalDecision"] == "allowed"

    with pytest.raises(ClientError) as refused:
        iam.simulate_custom_policy(
            PolicyInputList=[policy("Allow")], ActionNames=["s3:GetObject"], ResourcePolicy=trusting
        )
    assert refused.value.response["Error"]["Code"] == "InvalidInput"


def test_decode_authorization_message(start_emulator):
    """STS API Reference, DecodeAuthorizationMessage: with --authorization-messages a refusal
    carries an encoded message; a principal of the same account allowed
    sts:DecodeAuthorizationMessage decodes it into the decision and its context."""
    emulator = start_emulator("--authorization-messages")
    refused = error_of(lambda: emulator.client("dynamodb", MARIA).list_tables())
    assert refused["Code"] == "AccessDeniedException"
    marker = "Encoded authorization failure message: "
    assert marker in refused["Message"], refused["Message"]
    token = refused["Message"].split(marker, 1)[1].strip()

    no_permission = error_of(lambda: emulator.client("sts", MARIA).decode_authorization_message(EncodedMessage=token))
    assert no_permission["Code"] == "AccessDenied"
    other_account = error_of(lambda: emulator.client("sts", PROD_ADMIN).decode_authorization_message(EncodedMessage=token))
    assert other_account["Code"] == "InvalidAuthorizationMessageException"

    decoded = json.loads(
        emulator.client("sts", CORP_ADMIN).decode_authorization_message(EncodedMessage=token)["DecodedMessage"]
    )
    assert decoded["allowed"] is False and decoded["explicitDeny"] is False
    assert decoded["context"]["action"] == "dynamodb:ListTables"
    assert decoded["context"]["principal"]["arn"] == "arn:aws:iam::111111111111:user/Maria"
    keys = {c["key"] for c in decoded["context"]["conditions"]["items"]}
    assert {"aws:username", "aws:SourceIp", "aws:RequestedRegion"} <= keys

    # Without the flag, refusals carry no message, as AWS's DynamoDB's do not.
    plain = start_emulator()
    assert marker not in error_of(lambda: plain.client("dynamodb", MARIA).list_tables())["Message"]


def test_dynamodb_attributes_and_select_confine_a_read(emulator):
    """DynamoDB Developer Guide, "Using IAM policy conditions for fine-grained access control":
    a read's ProjectionExpression or AttributesToGet is its dynamodb:Attributes (Select then
    SPECIFIC_ATTRIBUTES), and only the attributes asked for come back."""
    iam = emulator.client("iam", PROD_ADMIN)
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "222222222222"}, "Action": "sts:AssumeRole"}]}
    arn = iam.create_role(RoleName="ScoresOnly", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["dynamodb:Scan", "dynamodb:GetItem"],
                "Resource": "arn:aws:dynamodb:*:*:table/GameScores",
                "Condition": {
                    "ForAllValues:StringEquals": {"dynamodb:Attributes": ["UserId", "GameTitle", "TopScore"]},
                    "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
                },
            }
        ],
    }
    iam.put_role_policy(RoleName="ScoresOnly", PolicyName="Attributes", PolicyDocument=json.dumps(policy))
    ddb = scans(emulator, arn)
    items = ddb.scan(TableName="GameScores", ProjectionExpression="UserId, #t", ExpressionAttributeNames={"#t": "TopScore"})["Items"]
    assert items and all(set(i) <= {"UserId", "TopScore"} for i in items)
    wins = lambda: ddb.scan(TableName="GameScores", AttributesToGet=["UserId", "Wins"])
    assert error_of(wins)["Code"] == "AccessDeniedException"
    everything = lambda: ddb.scan(TableName="GameScores", Select="ALL_ATTRIBUTES")
    assert error_of(everything)["Code"] == "AccessDeniedException"
    david = scans(emulator, PROD_ROLE, creds=DAVID, SerialNumber=DAVID_MFA_SERIAL, TokenCode=emulator.mfa_code())
    counted = david.scan(TableName="GameScores", Select="COUNT")
    assert counted["Count"] == 4 and "Items" not in counted
    item = ddb.get_item(
        TableName="GameScores",
        Key={"UserId": {"S": "101"}, "GameTitle": {"S": "Galaxy Invaders"}},
        ProjectionExpression="TopScore",
    )["Item"]
    assert item == {"TopScore": {"N": "5842"}}


def test_group_membership_and_group_policies(emulator):
    """IAM API Reference, GetGroup, ListGroupPolicies, DeleteGroupPolicy: what the console's
    Grant switch access page reads and writes."""
    iam = emulator.client("iam", CORP_ADMIN)
    group = iam.get_group(GroupName="Developers")
    assert group["Group"]["GroupName"] == "Developers"
    assert [u["UserName"] for u in group["Users"]] == ["David"]
    grant = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": PROD_ROLE}]})
    iam.put_group_policy(GroupName="Developers", PolicyName="Granted", PolicyDocument=grant)
    assert "Granted" in iam.list_group_policies(GroupName="Developers")["PolicyNames"]
    iam.delete_group_policy(GroupName="Developers", PolicyName="Granted")
    assert "Granted" not in iam.list_group_policies(GroupName="Developers")["PolicyNames"]
    missing = lambda: iam.delete_group_policy(GroupName="Developers", PolicyName="Granted")
    assert error_of(missing)["Code"] == "NoSuchEntity"
