"""AssumeRole's optional parameters against the emulator, with boto3 and the AWS CLI: ExternalId,
MFA at AssumeRole (an AWS CLI profile with role_arn and mfa_serial), a session policy, session
tags, SourceIdentity, and role chaining. Each test names the AWS page it follows."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from conftest import DAVID, DAVID_MFA_SERIAL, PROD_ADMIN, REGION, as_pair

PROD_ROLE = "arn:aws:iam::222222222222:role/AccessToProdDynamoDB"


def error_of(call):
    with pytest.raises(ClientError) as info:
        call()
    return info.value.response["Error"]


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def prod_role(emulator, name, trust_actions, condition=None, permissions=None):
    """A role in 222222222222 that its own account may assume (ProdAdmin creates it)."""
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
        "Action": trust_actions,
    }
    if condition:
        statement["Condition"] = condition
    iam = emulator.client("iam", PROD_ADMIN)
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=policy(statement))["Role"]["Arn"]
    if permissions:
        iam.put_role_policy(RoleName=name, PolicyName="Permissions", PolicyDocument=policy(*permissions))
    return arn


def test_external_id(emulator):
    """IAM User Guide, "Access to AWS accounts owned by third parties": the trust policy's
    sts:ExternalId condition is met only by the ExternalId the caller passes."""
    arn = prod_role(
        emulator,
        "PartnerAccess",
        "sts:AssumeRole",
        {"StringEquals": {"sts:ExternalId": "Unique-ID-4-Partner"}},
    )
    sts = emulator.client("sts", PROD_ADMIN)
    assert error_of(lambda: sts.assume_role(RoleArn=arn, RoleSessionName="partner"))["Code"] == "AccessDenied"
    wrong = lambda: sts.assume_role(RoleArn=arn, RoleSessionName="partner", ExternalId="guessed")
    assert error_of(wrong)["Code"] == "AccessDenied"
    ok = sts.assume_role(RoleArn=arn, RoleSessionName="partner", ExternalId="Unique-ID-4-Partner")
    assert ok["AssumedRoleUser"]["Arn"].endswith(":assumed-role/PartnerAccess/partner")


def test_mfa_at_assume_role_with_boto3(emulator):
    """IAM User Guide, "Configuring MFA-protected API access": a long-term key passes
    SerialNumber and TokenCode to AssumeRole, and a trust policy requiring MFA is met."""
    sts = emulator.client("sts", DAVID)
    refused = error_of(lambda: sts.assume_role(RoleArn=PROD_ROLE, RoleSessionName="cli"))
    assert refused["Code"] == "AccessDenied"
    role = sts.assume_role(
        RoleArn=PROD_ROLE,
        RoleSessionName="cli",
        SerialNumber=DAVID_MFA_SERIAL,
        TokenCode=emulator.mfa_code(),
    )
    creds, token = as_pair(role["Credentials"])
    assert emulator.client("dynamodb", creds, token).scan(TableName="GameScores")["Items"]
    wrong = lambda: sts.assume_role(
        RoleArn=PROD_ROLE, RoleSessionName="cli", SerialNumber=DAVID_MFA_SERIAL, TokenCode="000000"
    )
    assert error_of(wrong)["Code"] == "AccessDenied"


def test_an_aws_cli_profile_with_role_arn_and_mfa_serial_works(emulator, tmp_path):
    """AWS CLI User Guide, "Use an IAM role in the AWS CLI" (role_arn, source_profile,
    mfa_serial): the CLI asks for the code, calls AssumeRole with it, and acts as the role."""
    (tmp_path / "credentials").write_text(
        f"[david]\naws_access_key_id = {DAVID[0]}\naws_secret_access_key = {DAVID[1]}\n"
    )
    (tmp_path / "config").write_text(
        f"[profile prod]\nrole_arn = {PROD_ROLE}\nsource_profile = david\n"
        f"mfa_serial = {DAVID_MFA_SERIAL}\nregion = {REGION}\n"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_")
    }
    env.update(
        {
            "AWS_CONFIG_FILE": str(tmp_path / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
            # Every client, the CLI's assume-role credential provider's too, talks to the emulator.
            "AWS_ENDPOINT_URL": emulator.url,
            "HOME": str(tmp_path),
        }
    )
    aws = Path(sys.executable).parent / "aws"
    run = subprocess.run(
        [str(aws), "sts", "get-caller-identity", "--profile", "prod", "--output", "json"],
        input=emulator.mfa_code() + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        # No controlling terminal: the CLI's MFA prompt then reads the code from stdin.
        start_new_session=True,
    )
    assert run.returncode == 0, run.stderr
    who = json.loads(run.stdout)
    assert who["Arn"].startswith("arn:aws:sts::222222222222:assumed-role/AccessToProdDynamoDB/")


def test_a_session_policy_only_narrows(emulator):
    """IAM User Guide, "Session policies": the session may do only what both the role's
    policies and the session policy allow."""
    sts = emulator.client("sts", DAVID)
    role = sts.assume_role(
        RoleArn=PROD_ROLE,
        RoleSessionName="narrow",
        SerialNumber=DAVID_MFA_SERIAL,
        TokenCode=emulator.mfa_code(),
        Policy=policy({"Effect": "Allow", "Action": "dynamodb:Scan", "Resource": "*"}),
    )
    creds, token = as_pair(role["Credentials"])
    ddb = emulator.client("dynamodb", creds, token)
    assert ddb.scan(TableName="GameScores")["Items"]
    refused = error_of(lambda: ddb.list_tables())
    assert refused["Code"] == "AccessDeniedException"
    assert "no session policy allows" in refused["Message"]
    # The role's own policy does not allow Players: the session policy cannot add it.
    assert error_of(lambda: ddb.scan(TableName="Players"))["Code"] == "AccessDeniedException"
    malformed = lambda: sts.assume_role(RoleArn=PROD_ROLE, RoleSessionName="malformed", Policy="{not json")
    assert error_of(malformed)["Code"] == "MalformedPolicyDocument"

    # Managed session policies (PolicyArns) join the inline one.
    managed = sts.assume_role(
        RoleArn=PROD_ROLE,
        RoleSessionName="managed",
        SerialNumber=DAVID_MFA_SERIAL,
        TokenCode=emulator.mfa_code(),
        Policy=policy({"Effect": "Allow", "Action": "dynamodb:ListTables", "Resource": "*"}),
        PolicyArns=[{"arn": "arn:aws:iam::222222222222:policy/ProdOperatorBoundary"}],
    )
    creds, token = as_pair(managed["Credentials"])
    ddb = emulator.client("dynamodb", creds, token)
    assert ddb.list_tables()["TableNames"]
    assert ddb.scan(TableName="GameScores")["Items"]
    assert error_of(lambda: ddb.scan(TableName="Players"))["Code"] == "AccessDeniedException"


def test_session_tags_source_identity_and_chaining(emulator):
    """IAM User Guide, "Passing session tags in AWS STS" (sts:TagSession; transitive tags),
    "Monitor and control actions taken with assumed roles" (sts:SetSourceIdentity, kept through
    the chain) and "Roles terms and concepts" (role chaining: at most one hour)."""
    second = prod_role(emulator, "Second", ["sts:AssumeRole", "sts:SetSourceIdentity"])
    first = prod_role(
        emulator,
        "Tagged",
        ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
        permissions=[
            {
                "Effect": "Allow",
                "Action": ["sts:AssumeRole", "sts:SetSourceIdentity", "dynamodb:Scan"],
                "Resource": "*",
            },
            {
                "Effect": "Deny",
                "Action": "dynamodb:Scan",
                "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:PrincipalTag/team": "blue"}},
            },
        ],
    )
    sts = emulator.client("sts", PROD_ADMIN)
    tags = [{"Key": "team", "Value": "blue"}, {"Key": "project", "Value": "apollo"}]
    role = sts.assume_role(
        RoleArn=first,
        RoleSessionName="tagged",
        Tags=tags,
        TransitiveTagKeys=["team"],
        SourceIdentity="admin@example.com",
    )
    assert role["SourceIdentity"] == "admin@example.com"
    creds, token = as_pair(role["Credentials"])
    assert emulator.client("dynamodb", creds, token).scan(TableName="GameScores")["Items"]
    red = sts.assume_role(RoleArn=first, RoleSessionName="red", Tags=[{"Key": "team", "Value": "red"}])
    rcreds, rtoken = as_pair(red["Credentials"])
    denied = lambda: emulator.client("dynamodb", rcreds, rtoken).scan(TableName="GameScores")
    assert error_of(denied)["Code"] == "AccessDeniedException"

    chained_sts = emulator.client("sts", creds, token)
    too_long = lambda: chained_sts.assume_role(RoleArn=second, RoleSessionName="chained", DurationSeconds=7200)
    too_long_error = error_of(too_long)
    assert too_long_error["Code"] == "ValidationError"
    assert "role chaining" in too_long_error["Message"]
    changed = lambda: chained_sts.assume_role(RoleArn=second, RoleSessionName="chained", SourceIdentity="other@example.com")
    assert error_of(changed)["Code"] == "AccessDenied"
    chained = chained_sts.assume_role(RoleArn=second, RoleSessionName="chained")
    assert chained["SourceIdentity"] == "admin@example.com"

    # A trust policy without sts:TagSession refuses tags.
    untaggable = lambda: sts.assume_role(RoleArn=second, RoleSessionName="tags", Tags=tags)
    assert error_of(untaggable)["Code"] == "AccessDenied"


def test_a_deleted_and_recreated_role_does_not_revive_old_sessions(emulator):
    """IAM User Guide, "IAM identifiers" (unique identifiers): a role created again under the
    same name is another role, with another RoleId, and the old role's sessions get nothing
    of it."""
    scan = [{"Effect": "Allow", "Action": "dynamodb:Scan", "Resource": "*"}]
    arn = prod_role(emulator, "Recreated", "sts:AssumeRole", permissions=scan)
    iam = emulator.client("iam", PROD_ADMIN)
    first_id = iam.get_role(RoleName="Recreated")["Role"]["RoleId"]
    old = emulator.client("sts", PROD_ADMIN).assume_role(RoleArn=arn, RoleSessionName="old")
    assert old["AssumedRoleUser"]["AssumedRoleId"] == f"{first_id}:old"
    creds, token = as_pair(old["Credentials"])
    ddb = emulator.client("dynamodb", creds, token)
    assert ddb.scan(TableName="GameScores")["Items"]

    iam.delete_role_policy(RoleName="Recreated", PolicyName="Permissions")
    iam.delete_role(RoleName="Recreated")
    prod_role(emulator, "Recreated", "sts:AssumeRole", permissions=scan)
    assert iam.get_role(RoleName="Recreated")["Role"]["RoleId"] != first_id
    assert error_of(lambda: ddb.scan(TableName="GameScores"))["Code"] == "AccessDeniedException"
    who = emulator.client("sts", creds, token).get_caller_identity()
    assert who["UserId"] == f"{first_id}:old"


def test_source_ip_transport_and_region_are_what_the_emulator_sees(emulator):
    """IAM User Guide, "AWS global condition context keys": aws:SourceIp is the client's
    address as the endpoint sees it (127.0.0.1 here), aws:SecureTransport is false over plain
    HTTP, and aws:RequestedRegion is the region the call was signed for."""
    table = "arn:aws:dynamodb:*:*:table/"
    arn = prod_role(
        emulator,
        "Guarded",
        "sts:AssumeRole",
        permissions=[
            {"Effect": "Allow", "Action": "dynamodb:Scan", "Resource": "*"},
            {"Sid": "Loopback", "Effect": "Deny", "Action": "dynamodb:Scan", "Resource": table + "GameScores",
             "Condition": {"NotIpAddress": {"aws:SourceIp": "127.0.0.0/8"}}},
            {"Sid": "Office", "Effect": "Deny", "Action": "dynamodb:Scan", "Resource": table + "Players",
             "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}},
            {"Sid": "Region", "Effect": "Deny", "Action": "dynamodb:Scan", "Resource": table + "Billing",
             "Condition": {"StringEquals": {"aws:RequestedRegion": REGION}, "Bool": {"aws:SecureTransport": "false"}}},
        ],
    )
    role = emulator.client("sts", PROD_ADMIN).assume_role(RoleArn=arn, RoleSessionName="guarded")
    creds, token = as_pair(role["Credentials"])
    ddb = emulator.client("dynamodb", creds, token)
    assert ddb.scan(TableName="GameScores")["Items"]
    for denied in ("Players", "Billing"):
        assert error_of(lambda: ddb.scan(TableName=denied))["Code"] == "AccessDeniedException", denied
