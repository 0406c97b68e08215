"""The demo world's acceptance walk-through, row by row, with boto3 against the emulator."""

import pytest
from botocore.exceptions import ClientError

from conftest import (
    DAVID,
    DAVID_MFA_SEED,
    DAVID_MFA_SERIAL,
    MALLORY,
    MARIA,
    as_pair,
    session,
    totp,
)

PROD_ROLE = "arn:aws:iam::222222222222:role/AccessToProdDynamoDB"
SENSITIVE_ROLE = "arn:aws:iam::111111111111:role/SensitiveDataAccess"


def david_with_mfa(emulator):
    return session(
        DAVID, emulator, SerialNumber=DAVID_MFA_SERIAL, TokenCode=emulator.mfa_code()
    )


def assume(emulator, creds, token, role_arn, **kwargs):
    sts = emulator.client("sts", creds, token)
    return sts.assume_role(RoleArn=role_arn, RoleSessionName="walkthrough", **kwargs)


def error_of(call):
    with pytest.raises(ClientError) as info:
        call()
    return info.value.response["Error"]


def readable(emulator, creds, token, table):
    ddb = emulator.client("dynamodb", creds, token)
    try:
        items = ddb.scan(TableName=table)["Items"]
        assert items, f"{table} should hold items"
        return True
    except ClientError as e:
        assert e.response["Error"]["Code"] == "AccessDeniedException", e.response
        return False


def test_david_with_mfa_reads_game_scores_only(emulator):
    base, token = as_pair(david_with_mfa(emulator))
    role = assume(emulator, base, token, PROD_ROLE)
    assert role["AssumedRoleUser"]["Arn"] == (
        "arn:aws:sts::222222222222:assumed-role/AccessToProdDynamoDB/walkthrough"
    )
    creds, rtoken = as_pair(role["Credentials"])
    who = emulator.client("sts", creds, rtoken).get_caller_identity()
    assert who["Account"] == "222222222222"
    assert readable(emulator, creds, rtoken, "GameScores")
    assert not readable(emulator, creds, rtoken, "Players")
    assert not readable(emulator, creds, rtoken, "Billing")
    tables = emulator.client("dynamodb", creds, rtoken).list_tables()["TableNames"]
    assert tables == ["Billing", "GameScores", "Players"]
    item = emulator.client("dynamodb", creds, rtoken).describe_table(TableName="GameScores")
    assert item["Table"]["TableArn"].endswith(":222222222222:table/GameScores")


def test_the_alias_names_the_same_role(emulator):
    # Aliases are the console's business: STS takes an ARN, which always names the account id.
    base, token = as_pair(david_with_mfa(emulator))
    aliases = emulator.client("iam", ("AKIAEXAMPLEPRODADMIN", "Pr0dAdm1nSecretKeyExample/ForDemoOnly000"))
    assert aliases.list_account_aliases()["AccountAliases"] == ["example-prod"]
    assert assume(emulator, base, token, PROD_ROLE)["Credentials"]["AccessKeyId"].startswith("ASIA")


def test_david_without_mfa_is_refused(emulator):
    base, token = as_pair(session(DAVID, emulator))
    err = error_of(lambda: assume(emulator, base, token, PROD_ROLE))
    assert err["Code"] == "AccessDenied"
    assert "is not authorized to perform: sts:AssumeRole" in err["Message"]


def test_david_with_mfa_reads_payroll_in_the_sensitive_role(emulator):
    base, token = as_pair(david_with_mfa(emulator))
    creds, rtoken = as_pair(assume(emulator, base, token, SENSITIVE_ROLE)["Credentials"])
    assert readable(emulator, creds, rtoken, "Payroll")
    assert not readable(emulator, creds, rtoken, "DevScores")


def test_david_without_a_role(emulator):
    base, token = as_pair(david_with_mfa(emulator))
    assert readable(emulator, base, token, "DevScores")
    assert not readable(emulator, base, token, "Payroll")
    # The long-term key itself, too.
    assert readable(emulator, DAVID, None, "DevScores")


def test_maria_has_no_permission(emulator):
    err = error_of(lambda: assume(emulator, MARIA, None, PROD_ROLE))
    assert err["Code"] == "AccessDenied"
    assert "user/Maria" in err["Message"]


def test_mallory_is_not_trusted(emulator):
    err = error_of(lambda: assume(emulator, MALLORY, None, PROD_ROLE))
    assert err["Code"] == "AccessDenied"


@pytest.mark.parametrize(
    "role_arn",
    [
        "arn:aws:iam::222222222222:role/NoSuchRole",
        "arn:aws:iam::222222222222:role/accesstoproddynamodb",
        "arn:aws:iam::999999999999:role/AccessToProdDynamoDB",
    ],
)
def test_missing_or_wrong_case_roles_are_access_denied(emulator, role_arn):
    base, token = as_pair(david_with_mfa(emulator))
    err = error_of(lambda: assume(emulator, base, token, role_arn))
    assert err["Code"] == "AccessDenied"
    assert "NoSuchEntity" not in str(err)


def test_duration_above_max_session_duration_is_a_validation_error(emulator):
    creds, token = as_pair(david_with_mfa(emulator))
    err = error_of(lambda: assume(emulator, creds, token, PROD_ROLE, DurationSeconds=7200))
    assert err["Code"] == "ValidationError"


@pytest.mark.parametrize("who", ["maria", "mallory"])
def test_untrusted_callers_learn_nothing_about_the_role(emulator, who):
    """An untrusted caller gets the same AccessDenied for an existing role (even with a
    DurationSeconds above its maximum) as for a missing one."""
    creds = MARIA if who == "maria" else MALLORY
    missing = "arn:aws:iam::222222222222:role/NoSuchRole"
    existing = error_of(lambda: assume(emulator, creds, None, PROD_ROLE, DurationSeconds=7200))
    absent = error_of(lambda: assume(emulator, creds, None, missing, DurationSeconds=7200))
    assert existing["Code"] == absent["Code"] == "AccessDenied"
    assert existing["Message"].replace(PROD_ROLE, "R") == absent["Message"].replace(missing, "R")


def test_explain_names_the_reason(start_emulator):
    explaining = start_emulator("--explain")
    base, token = as_pair(session(DAVID, explaining))
    err = error_of(lambda: assume(explaining, base, token, PROD_ROLE))
    assert "requires MFA at sign-in" in err["Message"], err
