"""The administrator's half on the emulator with AWS's own clients: the administrator's calls (boto3) persist
with --state, and crossrole's access map (the IAM extension action SimulateSwitchAccess, which
boto3 has no method for) answers a request signed by botocore's SigV4 signer."""

import json
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conftest import CORP_ADMIN, MARIA, PROD_ADMIN

NS = {"iam": "https://iam.amazonaws.com/doc/2010-05-08/"}
BILLING_ROLE = "arn:aws:iam::222222222222:role/AccessToProdBilling"
TRUST_WITH_MFA = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
        "Action": "sts:AssumeRole",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
    }],
})


def switch_access(emulator, creds, action="SimulateSwitchAccess", **what_if) -> tuple[int, ET.Element]:
    """A crossrole IAM extension action, signed as an SDK signs IAM (service iam, us-east-1)."""
    params = {"Action": action, "Version": "2010-05-08", **what_if}
    body = urllib.parse.urlencode(params).encode()
    request = AWSRequest(
        method="POST",
        url=f"{emulator.url}/",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    SigV4Auth(Credentials(*creds), "iam", "us-east-1").add_auth(request)
    prepared = urllib.request.Request(request.url, data=body, headers=dict(request.headers), method="POST")
    try:
        with urllib.request.urlopen(prepared) as answer:
            return answer.status, ET.fromstring(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, ET.fromstring(refused.read())


def cells(root: ET.Element) -> dict[tuple[str, str], tuple[str, str]]:
    out = {}
    for member in root.iterfind(".//iam:Cells/iam:member", NS):
        key = (member.findtext("iam:UserName", namespaces=NS), member.findtext("iam:RoleArn", namespaces=NS))
        out[key] = (member.findtext("iam:Access", namespaces=NS), member.findtext("iam:Reason", default="", namespaces=NS))
    return out


def group_cells(root: ET.Element) -> dict[tuple[str, str], tuple[str, str]]:
    """The groups' cells of a SimulateSwitchAccess answer: (group, role) → (access, reason)."""
    out = {}
    for member in root.iterfind(".//iam:Cells/iam:member", NS):
        group = member.findtext("iam:GroupName", namespaces=NS)
        if group is not None:
            key = (group, member.findtext("iam:RoleArn", namespaces=NS))
            out[key] = (member.findtext("iam:Access", namespaces=NS), member.findtext("iam:Reason", default="", namespaces=NS))
    return out


def test_the_walk_through_persists_and_the_access_map_explains_it(start_emulator, tmp_path):
    state = tmp_path / "state.json"
    first = start_emulator("--state", str(state))
    prod = first.client("iam", PROD_ADMIN)
    prod.create_role(RoleName="AccessToProdBilling", AssumeRolePolicyDocument=TRUST_WITH_MFA)
    prod.put_role_policy(
        RoleName="AccessToProdBilling",
        PolicyName="AccessToProdBillingPermissions",
        PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "dynamodb:Scan",
                           "Resource": "arn:aws:dynamodb:us-west-2:222222222222:table/Billing"}],
        }),
    )
    first.client("iam", CORP_ADMIN).put_group_policy(
        GroupName="Developers",
        PolicyName="SwitchToAccessToProdBillingIn222222222222",
        PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": BILLING_ROLE}],
        }),
    )
    assert first.stop() == 0

    # The role, its policy and the group's grant survive a restart.
    second = start_emulator("--state", str(state))
    assert second.client("iam", PROD_ADMIN).list_role_policies(RoleName="AccessToProdBilling")["PolicyNames"] == [
        "AccessToProdBillingPermissions"
    ]
    corp = second.client("iam", CORP_ADMIN)
    assert "SwitchToAccessToProdBillingIn222222222222" in corp.list_group_policies(GroupName="Developers")["PolicyNames"]

    status, root = switch_access(second, CORP_ADMIN)
    assert status == 200, ET.tostring(root)
    map_ = cells(root)
    assert map_[("David", BILLING_ROLE)] == ("AllowedWithMfa", "")
    # The group granted the switch has its own row: what membership alone allows.
    assert group_cells(root)[("Developers", BILLING_ROLE)] == ("AllowedWithMfa", "")
    access, reason = map_[("Maria", BILLING_ROLE)]
    assert access == "Denied"
    assert reason == f"No identity policy allows sts:AssumeRole on {BILLING_ROLE}."

    # What if the grant were removed: David would be denied; nothing is saved.
    status, root = switch_access(
        second, CORP_ADMIN,
        WhatIfKind="GroupPolicy", WhatIfTarget="Developers",
        PolicyName="SwitchToAccessToProdBillingIn222222222222",
    )
    assert status == 200
    assert cells(root)[("David", BILLING_ROLE)][0] == "Denied"
    assert "SwitchToAccessToProdBillingIn222222222222" in corp.list_group_policies(GroupName="Developers")["PolicyNames"]

    # Maria may not ask; a malformed draft is MalformedPolicyDocument.
    status, root = switch_access(second, MARIA)
    assert status == 403
    assert root.findtext(".//iam:Code", namespaces=NS) == "AccessDenied"
    status, root = switch_access(
        second, CORP_ADMIN,
        WhatIfKind="TrustPolicy", WhatIfTarget=BILLING_ROLE, PolicyDocument="{ not json",
    )
    assert status == 400
    assert root.findtext(".//iam:Code", namespaces=NS) == "MalformedPolicyDocument"


def test_get_role_reports_role_last_used_as_boto3_reads_it(emulator):
    iam = emulator.client("iam", PROD_ADMIN)
    role = iam.get_role(RoleName="ProdOperator")["Role"]
    assert role["RoleLastUsed"] == {}, "never used yet"
    emulator.client("sts", PROD_ADMIN).assume_role(
        RoleArn="arn:aws:iam::222222222222:role/ops/ProdOperator", RoleSessionName="check"
    )
    used = iam.get_role(RoleName="ProdOperator")["Role"]["RoleLastUsed"]
    assert used["Region"] == "us-west-2"
    assert used["LastUsedDate"].year >= 2024
    # ListRoles does not report it, as in IAM.
    listed = [r for r in iam.list_roles()["Roles"] if r["RoleName"] == "ProdOperator"]
    assert "RoleLastUsed" not in listed[0]


def test_role_last_used_survives_a_restart_with_state(start_emulator, tmp_path):
    """A switch moves RoleLastUsed without an IAM write; with --state it is saved (a moment
    later, or when the emulator stops) and a restart still reports it."""
    state = tmp_path / "state.json"
    first = start_emulator("--state", str(state))
    first.client("sts", PROD_ADMIN).assume_role(
        RoleArn="arn:aws:iam::222222222222:role/ops/ProdOperator", RoleSessionName="kept"
    )
    used = first.client("iam", PROD_ADMIN).get_role(RoleName="ProdOperator")["Role"]["RoleLastUsed"]
    assert first.stop() == 0

    second = start_emulator("--state", str(state))
    kept = second.client("iam", PROD_ADMIN).get_role(RoleName="ProdOperator")["Role"]["RoleLastUsed"]
    assert kept == used
    assert oct(state.stat().st_mode & 0o777) == "0o600"


def test_role_last_used_is_saved_soon_after_a_switch_even_without_a_clean_stop(start_emulator, tmp_path):
    """Within the emulator's save period (5 s) after a switch, the state file holds the role's
    last use (the emulator logs it), so even a kill -9 keeps it."""
    state = tmp_path / "state.json"
    first = start_emulator("--state", str(state))
    first.client("sts", PROD_ADMIN).assume_role(
        RoleArn="arn:aws:iam::222222222222:role/ops/ProdOperator", RoleSessionName="soon"
    )
    first.wait_for_log(lambda e: e.get("kind") == "state" and e.get("saved") == "roleLastUsed", timeout=15)
    assert '"lastUsed"' in state.read_text()
    first.proc.kill()
    first.proc.wait()

    second = start_emulator("--state", str(state))
    used = second.client("iam", PROD_ADMIN).get_role(RoleName="ProdOperator")["Role"]["RoleLastUsed"]
    assert used["Region"] == "us-west-2"
    assert "LastUsedDate" in used


def test_the_caller_asks_which_roles_it_may_switch_to(emulator):
    """SimulateMySwitches: David (a long-term key, no MFA) needs no permission to ask about
    himself; the production role needs MFA, an unknown alias is no account."""
    from conftest import DAVID

    status, root = switch_access(
        emulator, DAVID, action="SimulateMySwitches",
        **{
            "Targets.member.1.Account": "example-prod",
            "Targets.member.1.Role": "AccessToProdDynamoDB",
            "Targets.member.2.Account": "no-such-alias",
            "Targets.member.2.Role": "Anything",
        },
    )
    assert status == 200, ET.tostring(root)
    members = root.findall(".//iam:Cells/iam:member", NS)
    assert [m.findtext("iam:Access", namespaces=NS) for m in members] == ["AllowedWithMfa", "Denied"]
    assert members[1].findtext("iam:Reason", namespaces=NS) == "No account has that ID or alias."
