"""The audit trail through CloudTrail's own API, with boto3 and the AWS CLI against the emulator:
after the demo walk-through, LookupEvents in the role's account finds David's switch (with MFA,
one sharedEventID with his own account's record), Maria's and Mallory's refusals, and the IAM
write; filters and paging return exactly what they should; no record holds a secret.

CloudTrail API Reference, "LookupEvents"; IAM User Guide, "Logging IAM and AWS STS API calls with
AWS CloudTrail" (cross-account AssumeRole in both accounts, one sharedEventID)."""

import json
import os
import subprocess
import sys

import pytest
from botocore.exceptions import ClientError

from conftest import CORP_ADMIN, DAVID, MALLORY, MARIA, PROD_ADMIN, as_pair
from test_walkthrough import PROD_ROLE, assume, david_with_mfa


@pytest.fixture
def walked(emulator):
    """The walk-through: David with MFA into production and a read there, Maria and Mallory
    refused, an IAM write by ProdAdmin. Returns the secrets that must appear nowhere."""
    base = david_with_mfa(emulator)
    creds, token = as_pair(base)
    role = assume(emulator, creds, token, PROD_ROLE)["Credentials"]
    for refused in (MARIA, MALLORY):
        with pytest.raises(ClientError):
            assume(emulator, refused, None, PROD_ROLE)
    emulator.client("iam", PROD_ADMIN).put_role_policy(
        RoleName="ProdOperator",
        PolicyName="Audited",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "dynamodb:DescribeTable", "Resource": "*"}]}),
    )
    return [base["SecretAccessKey"], base["SessionToken"], role["SecretAccessKey"], role["SessionToken"],
            DAVID[1], MARIA[1], MALLORY[1], PROD_ADMIN[1]]


def lookup(emulator, creds, **kwargs):
    return emulator.client("cloudtrail", creds).lookup_events(**kwargs)["Events"]


def records(events):
    return [json.loads(e["CloudTrailEvent"]) for e in events]


def test_the_role_account_sees_the_switch_with_mfa_and_the_refusals(emulator, walked):
    events = lookup(emulator, PROD_ADMIN, LookupAttributes=[
        {"AttributeKey": "EventName", "AttributeValue": "AssumeRole"}])
    mine = records(events)
    assert all(r["recipientAccountId"] == "222222222222" for r in mine)
    ok = [r for r in mine if "errorCode" not in r]
    assert len(ok) == 1, mine
    david = ok[0]
    assert david["userIdentity"] == {"type": "AWSAccount", "principalId": david["userIdentity"]["principalId"],
                                     "accountId": "111111111111"}
    assert david["requestParameters"]["roleArn"] == PROD_ROLE
    refused = sorted(r["userIdentity"]["accountId"] for r in mine if r.get("errorCode") == "AccessDenied")
    assert refused == ["111111111111", "333333333333"]  # Maria's account, Mallory's
    # David's own account has the same event, with his identity and MFA, one sharedEventID.
    theirs = records(lookup(emulator, CORP_ADMIN, LookupAttributes=[
        {"AttributeKey": "EventName", "AttributeValue": "AssumeRole"}]))
    [own] = [r for r in theirs if r["userIdentity"].get("userName") == "David"]
    assert own["userIdentity"]["sessionContext"]["attributes"]["mfaAuthenticated"] == "true"
    assert own["sharedEventID"] == david["sharedEventID"]
    assert own["eventID"] != david["eventID"]
    assert own["userAgent"].startswith("Boto3/") and own["sourceIPAddress"] == "127.0.0.1"


def test_filters_and_pages_return_exactly_the_expected_events(emulator, walked):
    ct = emulator.client("cloudtrail", PROD_ADMIN)
    every = ct.lookup_events()["Events"]
    names = [e["EventName"] for e in every]
    assert names == ["PutRolePolicy", "AssumeRole", "AssumeRole", "AssumeRole"], names
    assert [e["EventName"] for e in ct.lookup_events(LookupAttributes=[
        {"AttributeKey": "Username", "AttributeValue": "ProdAdmin"}])["Events"]] == ["PutRolePolicy"]
    assert [e["EventName"] for e in ct.lookup_events(LookupAttributes=[
        {"AttributeKey": "ReadOnly", "AttributeValue": "false"}])["Events"]] == names
    first = ct.lookup_events(MaxResults=3)
    assert [e["EventId"] for e in first["Events"]] == [e["EventId"] for e in every[:3]]
    rest = ct.lookup_events(MaxResults=3, NextToken=first["NextToken"])
    assert [e["EventId"] for e in rest["Events"]] == [e["EventId"] for e in every[3:]]
    assert "NextToken" not in rest
    pages = ct.get_paginator("lookup_events").paginate(PaginationConfig={"PageSize": 1})
    assert [e["EventId"] for page in pages for e in page["Events"]] == [e["EventId"] for e in every]
    with pytest.raises(ClientError) as bad:
        ct.lookup_events(MaxResults=3, NextToken=first["NextToken"], LookupAttributes=[
            {"AttributeKey": "EventName", "AttributeValue": "AssumeRole"}])
    assert bad.value.response["Error"]["Code"] == "InvalidNextTokenException"
    with pytest.raises(ClientError) as bad:
        ct.lookup_events(MaxResults=51)
    assert bad.value.response["Error"]["Code"] == "InvalidMaxResultsException"


def test_an_account_sees_only_its_own_events_and_needs_permission(emulator, walked):
    corp = records(lookup(emulator, CORP_ADMIN))
    assert corp and all(r["recipientAccountId"] == "111111111111" for r in corp)
    assert "PutRolePolicy" not in [r["eventName"] for r in corp]
    with pytest.raises(ClientError) as refused:
        lookup(emulator, MARIA)
    assert refused.value.response["Error"]["Code"] == "AccessDeniedException"


def test_no_record_holds_a_secret(emulator, walked):
    text = json.dumps([lookup(emulator, who) for who in (CORP_ADMIN, PROD_ADMIN)], default=str)
    for secret in walked:
        assert secret not in text


def test_the_aws_cli_reads_the_same_events(emulator, walked):
    env = {**os.environ, "AWS_ACCESS_KEY_ID": PROD_ADMIN[0], "AWS_SECRET_ACCESS_KEY": PROD_ADMIN[1],
           "AWS_DEFAULT_REGION": "us-west-2"}
    env.pop("AWS_SESSION_TOKEN", None)
    out = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "aws"), "--endpoint-url", emulator.url,
         "cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=EventName,AttributeValue=PutRolePolicy"],
        env=env, capture_output=True, text=True, check=True,
    )
    [event] = json.loads(out.stdout)["Events"]
    assert json.loads(event["CloudTrailEvent"])["requestParameters"]["policyName"] == "Audited"


def event_ids(emulator, creds):
    return [e["EventId"] for e in emulator.client("cloudtrail", creds).lookup_events()["Events"]]


def test_the_trail_survives_a_restart_and_a_kill_9_loses_at_most_the_last_batch(start_emulator, tmp_path):
    state = str(tmp_path / "state.json")
    first = start_emulator("--state", state)
    base, token = as_pair(david_with_mfa(first))
    assume(first, base, token, PROD_ROLE)
    with pytest.raises(ClientError):
        assume(first, MARIA, None, PROD_ROLE)
    before = event_ids(first, PROD_ADMIN)
    assert len(before) == 2
    assert first.stop() == 0
    second = start_emulator("--state", state)
    assert event_ids(second, PROD_ADMIN) == before
    # Mallory's refusal, once its batch is on disk, survives a kill -9.
    with pytest.raises(ClientError):
        assume(second, MALLORY, None, PROD_ROLE)
    second.wait_for_log(lambda e: e.get("kind") == "trail")
    after = event_ids(second, PROD_ADMIN)
    second.proc.kill()
    second.proc.wait()
    third = start_emulator("--state", state)
    assert event_ids(third, PROD_ADMIN) == after
    assert len(after) == 3
    assert oct(os.stat(state + ".trail.jsonl").st_mode & 0o777) == "0o600"


def test_audit_log_lines_are_json_and_match_lookup_events(start_emulator, tmp_path):
    log = tmp_path / "audit.jsonl"
    emulator = start_emulator("--audit-log", str(log))
    base, token = as_pair(david_with_mfa(emulator))
    assume(emulator, base, token, PROD_ROLE)
    with pytest.raises(ClientError):
        assume(emulator, MALLORY, None, PROD_ROLE)
    looked_up = {}
    for who in (CORP_ADMIN, PROD_ADMIN):
        for r in records(lookup(emulator, who)):
            looked_up[r["eventID"]] = r
    assert emulator.stop() == 0
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    # Account 333333333333 (Mallory's) has no one who may look events up: its record is compared
    # by what it says.
    seen = {r["eventID"]: r for r in lines if r["recipientAccountId"] != "333333333333"}
    assert seen == looked_up
    assert len(looked_up) == 4  # David's GetSessionToken, his switch in both accounts, Mallory's in 222222222222
    [mallory] = [r for r in lines if r["recipientAccountId"] == "333333333333"]
    assert mallory["userIdentity"]["userName"] == "Mallory" and mallory["errorCode"] == "AccessDenied"


def test_the_audit_log_rotates_past_its_size(start_emulator, tmp_path):
    log = tmp_path / "audit.jsonl"
    emulator = start_emulator("--audit-log", str(log), "--audit-log-max-bytes", "1")
    with pytest.raises(ClientError):
        assume(emulator, MALLORY, None, PROD_ROLE)
    emulator.wait_for_log(lambda e: e.get("kind") == "trail")
    rotated = tmp_path / "audit.jsonl.1"
    assert [json.loads(line)["errorCode"] for line in rotated.read_text().splitlines()] == ["AccessDenied"] * 2
    assert log.read_text() == ""
