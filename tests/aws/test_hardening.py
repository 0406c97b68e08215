"""The emulator's hardening, each hole pinned by a test with real clients and sockets."""

import json
import os
import shutil
import socket
import time
import urllib.error
import urllib.request

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from conftest import DAVID, PROD_ADMIN, REGION, TRUST, Emulator, as_pair, session


def post(url: str, headers: dict | None = None, data: bytes = b""):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}


def signed_expire(emulator, creds, token):
    key, secret = creds
    req = AWSRequest(method="POST", url=f"{emulator.url}/crossrole-test/expire", data=b"")
    SigV4Auth(Credentials(key, secret, token), "sts", REGION).add_auth(req)
    return dict(req.headers.items())


# The test hook needs the session's own signature.
def test_the_expire_hook_takes_only_the_sessions_own_signed_request(emulator):
    creds, token = as_pair(session(DAVID, emulator))
    other, other_token = as_pair(session(DAVID, emulator))
    sts = emulator.client("sts", creds, token)
    hook = f"{emulator.url}/crossrole-test/expire?accessKeyId={creds[0]}"
    # Unsigned (what used to work), signed by the user's long-term key, or by another
    # session: refused, and the session keeps working.
    assert post(hook)[0] == 403
    assert post(hook, signed_expire(emulator, DAVID, None))[0] == 403
    assert post(hook, signed_expire(emulator, other, "wrong-token"))[0] == 403
    assert sts.get_caller_identity()["Arn"].endswith(":user/David")
    # Signed by the session itself: it expires, and only it.
    assert post(f"{emulator.url}/crossrole-test/expire", signed_expire(emulator, creds, token))[0] == 204
    with pytest.raises(ClientError) as info:
        sts.get_caller_identity()
    assert info.value.response["Error"]["Code"] == "ExpiredToken"
    assert emulator.client("sts", other, other_token).get_caller_identity()["Arn"].endswith(":user/David")


# CORS: '*' is supported on purpose, invalid origins are refused, Date is exposed.
def test_cors_star_is_deliberate_and_date_is_exposed(start_emulator):
    e = start_emulator("--cors-origin", "*")
    status, headers = post(
        f"{e.url}/",
        {"Origin": "http://anywhere.example", "Content-Type": "application/x-www-form-urlencoded"},
        b"Action=GetCallerIdentity&Version=2011-06-15",
    )
    assert status == 403  # unsigned: refused, but as CORS so the page can read why
    assert headers["access-control-allow-origin"] == "*"
    assert "date" in headers["access-control-expose-headers"].lower().split(",")
    listed = start_emulator("--cors-origin", "http://console.example:8080/")
    _, headers = post(f"{listed.url}/", {"Origin": "http://console.example:8080"})
    assert headers["access-control-allow-origin"] == "http://console.example:8080"
    assert "date" in headers["access-control-expose-headers"].lower().split(",")


@pytest.mark.parametrize(
    "origins",
    [["not an origin"], ["ftp://console.example"], ["http://console.example/path"], ["*", "http://a.example"]],
)
def test_invalid_cors_origins_stop_the_start_with_a_reason(origins):
    args = [a for o in origins for a in ("--cors-origin", o)]
    with pytest.raises(RuntimeError, match="--cors-origin"):
        Emulator(*args)


# A change that could not be saved is not answered 200, and is not kept.
def test_a_failed_save_is_a_server_error_and_undone(start_emulator, tmp_path):
    folder = tmp_path / "state"
    folder.mkdir()
    e = start_emulator("--state", str(folder / "state.json"))
    iam = e.client("iam", PROD_ADMIN)
    shutil.rmtree(folder)  # nowhere to write now
    with pytest.raises(ClientError) as info:
        iam.create_role(RoleName="NotSaved", AssumeRolePolicyDocument=TRUST)
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert info.value.response["Error"]["Code"] == "ServiceFailure"
    with pytest.raises(ClientError) as info:
        iam.get_role(RoleName="NotSaved")
    assert info.value.response["Error"]["Code"] == "NoSuchEntity"
    folder.mkdir()
    iam.create_role(RoleName="Saved", AssumeRolePolicyDocument=TRUST)
    saved = json.loads((folder / "state.json").read_text())
    names = [r["name"] for a in saved["accounts"] for r in a.get("roles", [])]
    assert "Saved" in names and "NotSaved" not in names


def slow_socket(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    s = socket.create_connection((host, int(port)))
    s.settimeout(0.2)
    return s


def closed(s: socket.socket) -> bool:
    """True once the server has closed the connection (EOF or reset)."""
    try:
        return s.recv(4096) == b""
    except socket.timeout:
        return False
    except OSError:
        return True


# A slow client is cut within a bounded time, and others are served meanwhile.
def test_slow_clients_are_cut_and_others_keep_being_served(start_emulator):
    e = start_emulator("--header-timeout", "1", "--request-timeout", "1", "--max-connections", "32")
    sts = e.client("sts", DAVID)
    dribblers = [slow_socket(e.url) for _ in range(8)]
    idle = slow_socket(e.url)
    for s in dribblers:
        s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")
    slow_body = slow_socket(e.url)
    slow_body.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nAction=")
    started = time.monotonic()
    open_ones = set(range(len(dribblers)))
    while open_ones and time.monotonic() - started < 6:
        for i in list(open_ones):
            try:
                dribblers[i].sendall(b"X-Slow: 1\r\n")
            except OSError:
                open_ones.discard(i)
                continue
            if closed(dribblers[i]):
                open_ones.discard(i)
        # Normal calls are answered while the slow ones hang on.
        assert sts.get_caller_identity()["Account"] == "111111111111"
    assert not open_ones, "header dribblers were not cut"
    assert time.monotonic() - started < 4, "cut within about the header timeout"
    assert closed(idle) or closed(idle)
    slow_body.settimeout(3)
    answer = slow_body.recv(4096)
    assert answer.startswith(b"HTTP/1.1 408"), answer


# Kill -9 in the middle of saves loses no acknowledged change and leaves no partial file.
def test_kill_9_during_saves_loses_nothing_acknowledged(tmp_path):
    import random
    import threading

    state = tmp_path / "state.json"
    acknowledged: set[str] = set()
    rounds = int(os.environ.get("SOAK_ROUNDS", "10"))
    for round_no in range(rounds + 1):
        e = Emulator("--state", str(state))
        try:
            iam = e.client("iam", PROD_ADMIN)
            pages = iam.get_paginator("list_roles").paginate()
            present = {r["RoleName"] for page in pages for r in page["Roles"]}
            missing = acknowledged - present
            assert not missing, f"round {round_no}: acknowledged but lost: {sorted(missing)[:5]}"
            leftovers = [p.name for p in tmp_path.iterdir() if p.name not in ("state.json", "state.json.trail.jsonl")]
            assert not leftovers, leftovers
            if round_no == rounds:
                break

            def writer():
                for i in range(10_000):
                    name = f"R{round_no}x{i}"
                    try:
                        iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)
                    except Exception:
                        return
                    acknowledged.add(name)

            t = threading.Thread(target=writer)
            t.start()
            time.sleep(random.uniform(0.05, 0.4))
            e.proc.kill()
            e.proc.wait()
            t.join(timeout=30)
        finally:
            e.stop()
    assert len(acknowledged) > rounds, "the loop really wrote"
    assert oct(state.stat().st_mode & 0o777) == "0o600"


# A code works once per device, and guessing is throttled.
def test_an_mfa_code_works_once_and_guessing_is_throttled(emulator):
    from conftest import DAVID_MFA_SERIAL

    sts = emulator.client("sts", DAVID)
    code = emulator.mfa_code()
    sts.get_session_token(SerialNumber=DAVID_MFA_SERIAL, TokenCode=code)
    with pytest.raises(ClientError) as info:
        sts.get_session_token(SerialNumber=DAVID_MFA_SERIAL, TokenCode=code)
    assert info.value.response["Error"]["Code"] == "AccessDenied"
    used = {code}
    wrong = next(c for c in ("000000", "111111", "222222") if c not in used)
    for _ in range(5):
        with pytest.raises(ClientError):
            sts.get_session_token(SerialNumber=DAVID_MFA_SERIAL, TokenCode=wrong)
    with pytest.raises(ClientError) as info:
        sts.get_session_token(SerialNumber=DAVID_MFA_SERIAL, TokenCode=emulator.mfa_code())
    assert "Too many invalid MFA codes" in info.value.response["Error"]["Message"]


# Keep looking, load (short; scripts/soak.sh runs 20,000 calls at 64 connections): mixed,
# properly signed calls including IAM writes saved with --state: every answer checked, no 5xx.
def test_mixed_load_with_state_has_no_failures(start_emulator, tmp_path):
    import subprocess
    from pathlib import Path

    e = start_emulator("--state", str(tmp_path / "state.json"))
    binary = Path(os.environ.get("EMULATOR_BIN", "target/debug/crossrole-emulator")).with_name("crossrole-load")
    run = subprocess.run(
        [str(binary), "--url", e.url, "--calls", "2000", "--connections", "16"],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["answered"] == 2000 and summary["failures"] == 0 and summary["serverErrors"] == 0
    assert e.proc.poll() is None, "the emulator is still running"
    statuses = [json.loads(l)["status"] for l in e.log_lines if '"kind":"aws"' in l]
    assert len(statuses) >= 2000 and all(s < 500 for s in statuses)


# At most --max-connections are served at once; a connection beyond them waits, and
# is served as soon as a slow one is cut (within the header timeout), not never.
def test_the_connection_cap_holds_and_frees_up(start_emulator):
    e = start_emulator("--header-timeout", "2", "--max-connections", "3")
    hogs = [slow_socket(e.url) for _ in range(3)]
    for s in hogs:
        s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")
    # Connected after the three: the listen backlog hands connections over in order.
    waiting = slow_socket(e.url)
    waiting.sendall(b"GET /nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    waiting.settimeout(1.0)
    with pytest.raises(socket.timeout):
        waiting.recv(4096)  # not served while the three hold every slot
    started = time.monotonic()
    waiting.settimeout(5.0)
    answer = waiting.recv(4096)
    assert answer.startswith(b"HTTP/1.1 404"), answer  # served once the hogs were cut
    assert time.monotonic() - started < 4
    assert all(closed(s) or closed(s) for s in hogs)
