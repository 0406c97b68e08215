"""The federation endpoint, written from the IAM User Guide's own example ("Enable custom
identity broker access to the AWS console", "Example code using Python"): boto3's AssumeRole,
the session JSON, requests to `getSigninToken`, then the `login` URL. Only the base URL is
changed, from https://signin.aws.amazon.com to the emulator's.
"""

import json
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import boto3
import requests

from conftest import DAVID, PROD_ADMIN, REGION

OPERATOR = "arn:aws:iam::222222222222:role/ops/ProdOperator"
LOGIN_BIN = os.environ.get(
    "LOGIN_BIN",
    str(Path(os.environ.get("EMULATOR_BIN", "target/debug/crossrole-emulator")).with_name("crossrole-login")),
)


def guide_flow(base: str, credentials: dict, session_duration: str | None = "43200") -> requests.Response:
    """Steps 3 and 4 of the User Guide's Python example, verbatim but for the base URL."""
    url_credentials = {}
    url_credentials["sessionId"] = credentials.get("AccessKeyId")
    url_credentials["sessionKey"] = credentials.get("SecretAccessKey")
    url_credentials["sessionToken"] = credentials.get("SessionToken")
    json_string_with_temp_credentials = json.dumps(url_credentials)
    request_parameters = "?Action=getSigninToken"
    if session_duration is not None:
        request_parameters += "&SessionDuration=" + session_duration
    request_parameters += "&Session=" + urllib.parse.quote_plus(json_string_with_temp_credentials)
    request_url = base + "/federation" + request_parameters
    return requests.get(request_url, timeout=10)


def login_url(base: str, token: str, destination: str = "/dynamodb?table=GameScores") -> str:
    """Step 5 of the example: the URL a person opens."""
    request_parameters = "?Action=login"
    request_parameters += "&Issuer=Example.org"
    request_parameters += "&Destination=" + urllib.parse.quote_plus(destination)
    request_parameters += "&SigninToken=" + token
    return base + "/federation" + request_parameters


def operator_credentials(emulator) -> dict:
    sts = emulator.client("sts", PROD_ADMIN)
    return sts.assume_role(RoleArn=OPERATOR, RoleSessionName="AssumeRoleSession")["Credentials"]


def exchange(base: str, token: str, destination: str = "/") -> requests.Response:
    """What the console's landing page does with the token (crossrole's own half)."""
    return requests.post(
        base + "/federation",
        data={"Action": "exchange", "SigninToken": token, "Destination": destination},
        timeout=10,
    )


def refusal(response: requests.Response) -> str:
    assert response.status_code == 400, response.text
    return response.json()["Error"]["Code"]


def test_the_guides_flow_signs_an_assumed_role_in_once(emulator):
    creds = operator_credentials(emulator)
    r = guide_flow(emulator.url, creds)
    assert r.status_code == 200, r.text
    signin_token = json.loads(r.text)
    assert set(signin_token) == {"SigninToken"}
    token = signin_token["SigninToken"]
    assert creds["SecretAccessKey"] not in token and creds["SessionToken"] not in token

    # The login URL redirects into the console's landing page, the token in the fragment
    # (which the browser never sends to a server), the destination with it.
    login = requests.get(login_url(emulator.url, token), allow_redirects=False, timeout=10)
    assert login.status_code == 302
    assert login.headers["Cache-Control"] == "no-store"
    location = login.headers["Location"]
    assert location.startswith("/federated-signin#")
    fragment = urllib.parse.parse_qs(location.split("#", 1)[1])
    assert fragment == {"token": [token], "destination": ["/dynamodb?table=GameScores"]}

    # The page exchanges the token for a console session of the same role, new credentials.
    session = exchange(emulator.url, token, "/dynamodb?table=GameScores")
    assert session.status_code == 200, session.text
    body = session.json()
    assert body["arn"] == "arn:aws:sts::222222222222:assumed-role/ProdOperator/AssumeRoleSession"
    assert body["rolePath"] == "/ops/" and body["kind"] == "role"
    console = body["credentials"]
    assert console["accessKeyId"] != creds["AccessKeyId"]
    dynamodb = emulator.client("dynamodb", (console["accessKeyId"], console["secretAccessKey"]), console["sessionToken"])
    assert len(dynamodb.scan(TableName="GameScores")["Items"]) == 4

    # Used once: the exchange and the login URL both say so.
    assert refusal(exchange(emulator.url, token)) == "UsedSigninToken"
    again = requests.get(login_url(emulator.url, token), allow_redirects=False, timeout=10)
    assert again.status_code == 302 and again.headers["Location"] == "/federated-signin#error=UsedSigninToken"


def test_a_get_session_token_session_signs_in_too(emulator):
    creds = emulator.client("sts", DAVID).get_session_token()["Credentials"]
    # SessionDuration is for role sessions; without it, the session signs in as the user.
    assert refusal(guide_flow(emulator.url, creds)) == "SessionDurationNotAllowed"
    r = guide_flow(emulator.url, creds, session_duration=None)
    assert r.status_code == 200, r.text
    body = exchange(emulator.url, r.json()["SigninToken"]).json()
    assert body["kind"] == "user" and body["arn"] == "arn:aws:iam::111111111111:user/David"


def test_long_term_keys_expired_sessions_and_bad_durations_are_refused(emulator):
    key, secret = PROD_ADMIN
    long_term = {"AccessKeyId": key, "SecretAccessKey": secret, "SessionToken": "none"}
    assert refusal(guide_flow(emulator.url, long_term)) == "LongTermCredentials"
    creds = operator_credentials(emulator)
    assert refusal(guide_flow(emulator.url, {**creds, "SessionToken": "wrong"})) == "InvalidSession"
    for bad in ["899", "43201", "twelve-hours"]:
        assert refusal(guide_flow(emulator.url, creds, session_duration=bad)) == "InvalidSessionDuration"
    emulator.expire((creds["AccessKeyId"], creds["SecretAccessKey"]), creds["SessionToken"])
    assert refusal(guide_flow(emulator.url, creds)) == "ExpiredSession"


def test_an_expired_token_is_refused(emulator):
    """The User Guide: the sign-in URL "is valid for 15 minutes" (the test hook ends them now)."""
    token = guide_flow(emulator.url, operator_credentials(emulator)).json()["SigninToken"]
    hook = requests.post(emulator.url + "/crossrole-test/expire", data={"SigninToken": token}, timeout=10)
    assert hook.status_code == 204
    login = requests.get(login_url(emulator.url, token), allow_redirects=False, timeout=10)
    assert login.headers["Location"] == "/federated-signin#error=ExpiredSigninToken"
    assert refusal(exchange(emulator.url, token)) == "ExpiredSigninToken"
    assert refusal(exchange(emulator.url, "never-issued")) == "InvalidSigninToken"


def test_an_off_site_destination_is_refused(emulator):
    token = guide_flow(emulator.url, operator_credentials(emulator)).json()["SigninToken"]
    host = urllib.parse.urlsplit(emulator.url).netloc
    for off_site in ["https://evil.example/", "//evil.example/", "https://console.aws.amazon.com/", f"http://{host}.evil.example/"]:
        r = requests.get(login_url(emulator.url, token, off_site), allow_redirects=False, timeout=10)
        assert refusal(r) == "InvalidDestination", off_site
        assert "Location" not in r.headers
    same_site = requests.get(login_url(emulator.url, token, f"http://{host}/iam"), allow_redirects=False, timeout=10)
    assert same_site.status_code == 302 and same_site.headers["Location"].endswith("destination=%2Fiam")


def test_the_trail_records_the_token_and_the_sign_in_and_no_log_holds_a_secret(emulator):
    creds = operator_credentials(emulator)
    token = guide_flow(emulator.url, creds).json()["SigninToken"]
    requests.get(login_url(emulator.url, token), allow_redirects=False, timeout=10)
    console = exchange(emulator.url, token, "/dynamodb?table=GameScores").json()["credentials"]
    trail = emulator.client("cloudtrail", PROD_ADMIN)
    events = [
        json.loads(e["CloudTrailEvent"])
        for e in trail.lookup_events(
            LookupAttributes=[{"AttributeKey": "EventSource", "AttributeValue": "signin.amazonaws.com"}]
        )["Events"]
    ]
    names = sorted(e["eventName"] for e in events)
    assert names == ["ConsoleLogin", "GetSigninToken"]
    login = next(e for e in events if e["eventName"] == "ConsoleLogin")
    assert login["userIdentity"]["type"] == "AssumedRole"
    assert login["userIdentity"]["arn"].endswith("assumed-role/ProdOperator/AssumeRoleSession")
    assert login["responseElements"] == {"ConsoleLogin": "Success"}
    assert login["additionalEventData"]["LoginTo"] == "/dynamodb?table=GameScores"
    secrets = [token, creds["SecretAccessKey"], creds["SessionToken"], console["secretAccessKey"], console["sessionToken"]]
    for text in [json.dumps(events), "".join(emulator.log_lines)]:
        for secret in secrets:
            assert secret not in text


def test_the_login_command_from_an_aws_cli_profile(emulator, tmp_path, monkeypatch):
    """The terminal recipe: a role_arn/source_profile profile gives the role's credentials
    (`aws sts assume-role` with the source profile), the login command turns them into a
    sign-in URL."""
    (tmp_path / "credentials").write_text(
        f"[prodadmin]\naws_access_key_id = {PROD_ADMIN[0]}\naws_secret_access_key = {PROD_ADMIN[1]}\n"
    )
    (tmp_path / "config").write_text(
        f"[profile prodadmin]\nregion = {REGION}\n"
        f"[profile operator]\nrole_arn = {OPERATOR}\nsource_profile = prodadmin\nregion = {REGION}\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_CONFIG_FILE=str(tmp_path / "config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "credentials"),
        AWS_ENDPOINT_URL=emulator.url,
        HOME=str(tmp_path),
    )
    aws = Path(sys.executable).parent / "aws"
    run = subprocess.run(
        [str(aws), "sts", "assume-role", "--profile", "prodadmin", "--role-arn", OPERATOR,
         "--role-session-name", "terminal", "--output", "json"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert run.returncode == 0, run.stderr
    creds = json.loads(run.stdout)["Credentials"]
    # The profile with role_arn gives a session of the same role (botocore, as the CLI).
    for key in [k for k in os.environ if k.startswith("AWS_")]:
        monkeypatch.delenv(key)
    for key in ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL"]:
        monkeypatch.setenv(key, env[key])
    profile = boto3.Session(profile_name="operator").client("sts", endpoint_url=emulator.url)
    assert profile.get_caller_identity()["Arn"].startswith(
        "arn:aws:sts::222222222222:assumed-role/ProdOperator/"
    )
    login_env = {**env, "AWS_ACCESS_KEY_ID": creds["AccessKeyId"],
                 "AWS_SECRET_ACCESS_KEY": creds["SecretAccessKey"],
                 "AWS_SESSION_TOKEN": creds["SessionToken"]}
    out = subprocess.run([LOGIN_BIN, "--destination", "/dynamodb?table=GameScores"],
                         capture_output=True, text=True, env=login_env, timeout=30)
    assert out.returncode == 0, out.stderr
    url = out.stdout.strip()
    assert url.startswith(emulator.url + "/federation?Action=login&")
    for secret in [creds["SecretAccessKey"], creds["SessionToken"]]:
        assert secret not in url
    redirect = requests.get(url, allow_redirects=False, timeout=10)
    assert redirect.status_code == 302 and "destination=%2Fdynamodb%3Ftable%3DGameScores" in redirect.headers["Location"]
    # Without a session token, it says what to do.
    del login_env["AWS_SESSION_TOKEN"]
    refused = subprocess.run([LOGIN_BIN], capture_output=True, text=True, env=login_env, timeout=30)
    assert refused.returncode == 1 and "temporary credentials" in refused.stderr
