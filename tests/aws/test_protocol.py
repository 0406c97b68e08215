"""Signatures, expiry, persistence, shutdown and the AWS CLI, against the emulator."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from conftest import CORP_ADMIN, DAVID, MARIA as MARIA_PAIR, PROD_ADMIN, PROD_OPS, REGION, TRUST, as_pair, session


def test_a_wrong_secret_is_signature_does_not_match(emulator):
    sts = emulator.client("sts", (DAVID[0], "not-the-right-secret"))
    with pytest.raises(ClientError) as info:
        sts.get_caller_identity()
    assert info.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    ddb = emulator.client("dynamodb", (DAVID[0], "not-the-right-secret"))
    with pytest.raises(ClientError) as info:
        ddb.list_tables()
    assert info.value.response["Error"]["Code"] == "InvalidSignatureException"


def test_an_unknown_key_is_invalid_client_token_id(emulator):
    sts = emulator.client("sts", ("AKIAUNKNOWNUNKNOWN00", "whatever"))
    with pytest.raises(ClientError) as info:
        sts.get_caller_identity()
    assert info.value.response["Error"]["Code"] == "InvalidClientTokenId"


def test_an_expired_session_is_expired_token(emulator):
    creds, token = as_pair(session(DAVID, emulator))
    sts = emulator.client("sts", creds, token)
    assert sts.get_caller_identity()["Arn"].endswith(":user/David")
    emulator.expire(creds, token)
    with pytest.raises(ClientError) as info:
        sts.get_caller_identity()
    assert info.value.response["Error"]["Code"] == "ExpiredToken"
    with pytest.raises(ClientError) as info:
        emulator.client("dynamodb", creds, token).list_tables()
    assert info.value.response["Error"]["Code"] == "ExpiredTokenException"


def test_iam_actions_on_a_role_are_authorised_by_its_path(emulator):
    """IAM authorises a role's actions against its full ARN, path included (IAM User Guide,
    "IAM identifiers", section "IAM ARNs": arn:aws:iam::account:role/path/name). ProdOps may
    manage roles under /ops/ only, and may never delete them (an explicit Deny by path)."""
    iam = emulator.client("iam", PROD_OPS)
    role = iam.get_role(RoleName="ProdOperator")["Role"]
    assert role["Arn"] == "arn:aws:iam::222222222222:role/ops/ProdOperator"
    assert role["Path"] == "/ops/"
    assert iam.list_role_policies(RoleName="ProdOperator")["PolicyNames"] == ["GameScoresReadOnly"]
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:Query", "Resource": "*"}]}
    iam.put_role_policy(RoleName="ProdOperator", PolicyName="Query", PolicyDocument=json.dumps(policy))
    assert iam.get_role_policy(RoleName="ProdOperator", PolicyName="Query")["PolicyDocument"] == policy

    # A role at the root path is outside role/ops/*: no policy allows it.
    with pytest.raises(ClientError) as info:
        iam.get_role(RoleName="AccessToProdDynamoDB")
    assert info.value.response["Error"]["Code"] == "AccessDenied"
    assert "role/AccessToProdDynamoDB" in info.value.response["Error"]["Message"]
    # Deny by path: the Allow names DeleteRole too, but the Deny on role/ops/* wins.
    with pytest.raises(ClientError) as info:
        iam.delete_role(RoleName="ProdOperator")
    assert info.value.response["Error"]["Code"] == "AccessDenied"
    assert "role/ops/ProdOperator" in info.value.response["Error"]["Message"]
    assert "explicit deny" in info.value.response["Error"]["Message"]
    assert emulator.client("iam", PROD_ADMIN).get_role(RoleName="ProdOperator")["Role"]["Path"] == "/ops/"


def test_iam_admin_calls(emulator):
    iam = emulator.client("iam", PROD_ADMIN)
    role = iam.create_role(RoleName="PlayersReader", AssumeRolePolicyDocument=TRUST)["Role"]
    assert role["Arn"] == "arn:aws:iam::222222222222:role/PlayersReader"
    # boto3 decodes the URL-encoded document back into JSON.
    got = iam.get_role(RoleName="PlayersReader")["Role"]
    assert got["AssumeRolePolicyDocument"]["Statement"][0]["Action"] == "sts:AssumeRole"
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:Scan", "Resource": "*"}]}
    iam.put_role_policy(RoleName="PlayersReader", PolicyName="Scan", PolicyDocument=json.dumps(policy))
    assert iam.list_role_policies(RoleName="PlayersReader")["PolicyNames"] == ["Scan"]
    assert iam.get_role_policy(RoleName="PlayersReader", PolicyName="Scan")["PolicyDocument"] == policy
    names = [r["RoleName"] for r in iam.list_roles()["Roles"]]
    assert names == ["AccessToProdDynamoDB", "PlayersReader", "ProdOperator"]
    with pytest.raises(ClientError) as info:
        iam.delete_role(RoleName="PlayersReader")
    assert info.value.response["Error"]["Code"] == "DeleteConflict"
    iam.update_assume_role_policy(RoleName="PlayersReader", PolicyDocument=TRUST)
    assert iam.get_user()["User"]["Arn"] == "arn:aws:iam::222222222222:user/ProdAdmin"

    corp = emulator.client("iam", CORP_ADMIN)
    assert [g["GroupName"] for g in corp.list_groups()["Groups"]] == ["Developers"]
    corp.put_group_policy(GroupName="Developers", PolicyName="Extra", PolicyDocument=json.dumps(policy))
    assert corp.get_group_policy(GroupName="Developers", PolicyName="Extra")["PolicyDocument"] == policy

    with pytest.raises(ClientError) as info:
        emulator.client("iam", DAVID).create_role(RoleName="Sneaky", AssumeRolePolicyDocument=TRUST)
    assert info.value.response["Error"]["Code"] == "AccessDenied"
    assert "iam:CreateRole" in info.value.response["Error"]["Message"]


def test_state_keeps_a_created_role_across_a_restart(start_emulator, tmp_path):
    state = tmp_path / "state.json"
    first = start_emulator("--state", str(state))
    first.client("iam", PROD_ADMIN).create_role(RoleName="Survivor", AssumeRolePolicyDocument=TRUST)
    assert first.stop() == 0, "SIGTERM is a graceful shutdown"
    assert any('"kind":"stopped"' in line for line in first.log_lines)
    # Beside the state: its audit journal, and no temporary file.
    assert not [p for p in tmp_path.iterdir() if p.name not in ("state.json", "state.json.trail.jsonl")], \
        "no temporary files left"

    second = start_emulator("--state", str(state))
    role = second.client("iam", PROD_ADMIN).get_role(RoleName="Survivor")["Role"]
    assert role["Arn"] == "arn:aws:iam::222222222222:role/Survivor"


def test_a_corrupt_state_is_refused_and_kept(tmp_path):
    state = tmp_path / "state.json"
    state.write_text('{"format": 1, "acc')
    binary = os.environ.get("EMULATOR_BIN", str(Path(__file__).resolve().parents[2] / "target/debug/crossrole-emulator"))
    run = subprocess.run(
        [binary, "--listen", "127.0.0.1:0", "--state", str(state)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert run.returncode == 2
    assert "corrupt" in run.stderr and "left untouched" in run.stderr
    assert state.read_text() == '{"format": 1, "acc'


def test_logs_carry_no_secrets(start_emulator):
    """Every kind of call — sessions, MFA, IAM writes with policy bodies, bad signatures,
    refusals and malformed requests — leaves no secret, token, code or body in the log."""
    e = start_emulator("--test-hooks", "--explain")
    creds, token = as_pair(session(DAVID, e))
    code = e.mfa_code()
    mfa_creds, mfa_token = as_pair(
        session(DAVID, e, SerialNumber="arn:aws:iam::111111111111:mfa/David", TokenCode=code)
    )
    e.client("sts", creds, token).get_caller_identity()
    role = e.client("sts", mfa_creds, mfa_token).assume_role(
        RoleArn="arn:aws:iam::222222222222:role/AccessToProdDynamoDB", RoleSessionName="David"
    )["Credentials"]
    marker = "BodyMarkerQ7x"  # only ever in request bodies
    iam = e.client("iam", PROD_ADMIN)
    iam.create_role(RoleName="Logged", AssumeRolePolicyDocument=TRUST.replace('"Effect"', f'"Sid": "{marker}", "Effect"'))
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Sid": marker, "Effect": "Allow", "Action": "dynamodb:Scan", "Resource": "*"}]})
    iam.put_role_policy(RoleName="Logged", PolicyName="P", PolicyDocument=policy)
    for attempt in (
        lambda: e.client("sts", (DAVID[0], "wrong-secret-Zq9")).get_caller_identity(),
        lambda: e.client("sts", DAVID).get_session_token(SerialNumber="arn:aws:iam::111111111111:mfa/David", TokenCode="000001"),
        lambda: e.client("sts", MARIA_PAIR).assume_role(RoleArn="arn:aws:iam::222222222222:role/AccessToProdDynamoDB", RoleSessionName=marker),
        lambda: e.client("iam", PROD_ADMIN).put_role_policy(RoleName="Logged", PolicyName="Bad", PolicyDocument=marker),
        lambda: e.client("dynamodb", (role["AccessKeyId"], role["SecretAccessKey"]), role["SessionToken"]).scan(TableName="Players"),
    ):
        with pytest.raises(ClientError):
            attempt()
    e.expire(creds, token)
    e.stop()
    text = "".join(e.log_lines)
    assert '"action":"GetSessionToken"' in text and '"action":"PutRolePolicy"' in text
    assert '"error":"SignatureDoesNotMatch"' in text and '"error":"MalformedPolicyDocument"' in text
    secrets = [
        DAVID[1], PROD_ADMIN[1], MARIA_PAIR[1], "wrong-secret-Zq9",
        creds[1], token, mfa_creds[1], mfa_token, role["SecretAccessKey"], role["SessionToken"],
        code, "000001", marker,
    ]
    for secret in secrets:
        assert secret not in text, f"{secret[:6]}… is in the log"


def test_a_world_file_is_served_and_state_wins_over_it(start_emulator, tmp_path):
    demo = json.loads((Path(__file__).resolve().parents[2] / "public/demo-world.json").read_text())
    demo["accounts"][0]["alias"] = "from-the-world-file"
    world = tmp_path / "world.json"
    world.write_text(json.dumps(demo))
    e = start_emulator("--world", str(world))
    assert e.client("iam", CORP_ADMIN).list_account_aliases()["AccountAliases"] == ["from-the-world-file"]
    e.stop()
    # With --state, the saved state wins over the world file (a real one, different from it).
    state = tmp_path / "state.json"
    first = start_emulator("--state", str(state))
    first.client("iam", PROD_ADMIN).create_role(RoleName="FromState", AssumeRolePolicyDocument=TRUST)
    first.stop()
    second = start_emulator("--world", str(world), "--state", str(state))
    assert second.client("iam", CORP_ADMIN).list_account_aliases()["AccountAliases"] == ["example-corp"]
    assert second.client("iam", PROD_ADMIN).get_role(RoleName="FromState")["Role"]["RoleName"] == "FromState"


def test_static_serves_the_console_with_its_headers(start_emulator, tmp_path):
    import urllib.error
    import urllib.request

    (tmp_path / "index.html").write_text("<!doctype html><title>console</title>")
    (tmp_path / "app.js").write_text("export {};")
    e = start_emulator("--static", str(tmp_path))

    def get(path):
        try:
            with urllib.request.urlopen(f"{e.url}{path}") as r:
                return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, {k.lower(): v for k, v in err.headers.items()}, ""

    status, headers, body = get("/switchrole?account=222222222222&roleName=R")
    assert status == 200 and "console" in body
    assert headers["content-security-policy"] == "frame-ancestors 'none'"
    assert headers["x-content-type-options"] == "nosniff"
    assert get("/app.js")[0] == 200
    assert get("/missing.js")[0] == 404
    assert get("/../../etc/passwd")[2] in ("", body)
    status, _, config = get("/config.json")
    assert json.loads(config)["backend"] == "sts"


def aws_cli(emulator, *args, creds=DAVID, token=None):
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": creds[0],
        "AWS_SECRET_ACCESS_KEY": creds[1],
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    env.pop("AWS_SESSION_TOKEN", None)
    if token:
        env["AWS_SESSION_TOKEN"] = token
    aws = Path(sys.executable).parent / "aws"
    return subprocess.run(
        [str(aws), "--endpoint-url", emulator.url, "--output", "json", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_aws_cli_get_caller_identity_and_assume_role(emulator):
    who = aws_cli(emulator, "sts", "get-caller-identity")
    assert who.returncode == 0, who.stderr
    assert json.loads(who.stdout)["Arn"] == "arn:aws:iam::111111111111:user/David"

    from conftest import DAVID_MFA_SEED, DAVID_MFA_SERIAL, totp

    token = aws_cli(
        emulator, "sts", "get-session-token", "--serial-number", DAVID_MFA_SERIAL, "--token-code", emulator.mfa_code()
    )
    assert token.returncode == 0, token.stderr
    c = json.loads(token.stdout)["Credentials"]
    assumed = aws_cli(
        emulator,
        "sts",
        "assume-role",
        "--role-arn",
        "arn:aws:iam::222222222222:role/AccessToProdDynamoDB",
        "--role-session-name",
        "cli",
        creds=(c["AccessKeyId"], c["SecretAccessKey"]),
        token=c["SessionToken"],
    )
    assert assumed.returncode == 0, assumed.stderr
    assert json.loads(assumed.stdout)["AssumedRoleUser"]["Arn"].endswith(":assumed-role/AccessToProdDynamoDB/cli")

    refused = aws_cli(
        emulator, "sts", "assume-role", "--role-arn", "arn:aws:iam::222222222222:role/AccessToProdDynamoDB", "--role-session-name", "cli"
    )
    assert refused.returncode != 0
    assert "AccessDenied" in refused.stderr


def preflight(emulator, origin):
    import urllib.error
    import urllib.request

    req = urllib.request.Request(
        f"{emulator.url}/",
        method="OPTIONS",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type,x-amz-date,x-amz-security-token,x-amz-target",
        },
    )
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}
    except urllib.error.HTTPError as e:  # a refused preflight is not answered as CORS
        return e.code, {k.lower(): v for k, v in e.headers.items()}


def test_cors_preflight_is_answered_for_allowed_origins_only(start_emulator):
    e = start_emulator("--cors-origin", "http://console.example:8080", "--cors-origin", "http://other.example")
    status, headers = preflight(e, "http://console.example:8080")
    assert status == 200
    assert headers["access-control-allow-origin"] == "http://console.example:8080"
    assert "x-amz-security-token" in headers["access-control-allow-headers"]
    _, headers = preflight(e, "http://evil.example")
    assert "access-control-allow-origin" not in headers
    # Without --cors-origin no origin is allowed.
    plain = start_emulator()
    _, headers = preflight(plain, "http://console.example:8080")
    assert "access-control-allow-origin" not in headers
