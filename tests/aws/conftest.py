"""Starts crossrole-emulator for the tests with real AWS clients, and stops it afterwards.

The binary comes from EMULATOR_BIN (scripts/test.sh builds it); each emulator listens on a
free port that it prints in its first log line.
"""

import base64
import hashlib
import hmac
import json
import os
import struct
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
import pytest
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[2]
REGION = "us-west-2"

DAVID = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
MARIA = ("AKIAI44QH8DHBEXAMPLE", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY")
CORP_ADMIN = ("AKIAEXAMPLECORPADMIN", "C0rpAdm1nSecretKeyExample/ForDemoOnly000")
PROD_ADMIN = ("AKIAEXAMPLEPRODADMIN", "Pr0dAdm1nSecretKeyExample/ForDemoOnly000")
MALLORY = ("AKIAEXAMPLEMALLORY01", "Ma11orySecretKeyExample/ForDemoOnly00000")
PROD_OPS = ("AKIAEXAMPLEPRODOPS01", "Pr0dOpsSecretKeyExample/ForDemoOnly00000")
DAVID_MFA_SERIAL = "arn:aws:iam::111111111111:mfa/David"
DAVID_MFA_SEED = "X2HU5OKI5CDPJFARJQPAQVPELD7Z47SW"


def totp(seed_b32: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 6 digits, 30 s), written here independently of the Rust code."""
    key = base64.b32decode(seed_b32)
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def record_server(pid: int) -> None:
    """Tells the test command about a server this run started (its pid and start time, so
    that it can stop exactly that process and never another that later got the same pid)."""
    path = os.environ.get("CROSSROLE_TEST_PIDS")
    if not path:
        return
    try:
        started = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except OSError:
        return
    with open(path, "a") as f:
        f.write(f"{pid} {started}\n")


# A trust policy for roles the tests create: account 111111111111 may assume them.
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)


class Emulator:
    """A running crossrole-emulator process."""

    def __init__(self, *args: str):
        binary = os.environ.get("EMULATOR_BIN", str(ROOT / "target/debug/crossrole-emulator"))
        self.log_lines: list[str] = []
        # Notified by the log reader at each new line (see wait_for_log).
        self._logged = threading.Condition()
        self.used_steps: set[int] = set()
        self.proc = subprocess.Popen(
            [binary, "--listen", "127.0.0.1:0", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        record_server(self.proc.pid)
        # Log lines may come before "listening" (e.g. tidying after a crash); an error or
        # the end of the output means it did not start.
        event: dict = {}
        while event.get("kind") != "listening":
            line = self.proc.stderr.readline()
            self.log_lines.append(line)
            event = json.loads(line) if line.startswith("{") else {}
            if not line or event.get("kind") == "error" or not event:
                self.proc.kill()
                rest = self.proc.stderr.read()
                raise RuntimeError(f"emulator did not start: {''.join(self.log_lines)}{rest}")
        self.url = event["url"]
        # Drain the log as it comes, so that a full pipe never blocks the emulator.
        self._reader = threading.Thread(target=self._read_log, daemon=True)
        self._reader.start()

    def _read_log(self) -> None:
        for line in self.proc.stderr:
            with self._logged:
                self.log_lines.append(line)
                self._logged.notify_all()

    def wait_for_log(self, wanted, timeout: float = 15.0) -> dict:
        """The first log event (a JSON line) for which `wanted(event)` holds, waiting up to
        `timeout` seconds for the emulator to write it."""
        def found():
            for line in self.log_lines:
                event = json.loads(line) if line.startswith("{") else {}
                if event and wanted(event):
                    return event
            return None
        with self._logged:
            event = self._logged.wait_for(found, timeout=timeout)
        assert event is not None, f"no such log line within {timeout} s: {''.join(self.log_lines)}"
        return event

    def client(self, service: str, creds, token: str | None = None):
        key, secret = creds
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name=REGION,
            aws_access_key_id=key,
            aws_secret_access_key=secret,
            aws_session_token=token,
            config=Config(retries={"max_attempts": 1}),
        )

    def mfa_code(self) -> str:
        """A code of David's device this emulator has not seen: a code works once, and codes of the step before and after are good too. When all three were
        used, waits for the device's next step, as a person would."""
        while True:
            now = time.time()
            for offset in (0, -30, 30):
                step = int((now + offset) // 30)
                if step not in self.used_steps:
                    self.used_steps.add(step)
                    return totp(DAVID_MFA_SEED, at=step * 30)
            time.sleep(30 - now % 30 + 0.05)

    def expire(self, creds, token: str) -> None:
        """Ends a session now (`--test-hooks`): the hook takes a request signed by the
        session itself (botocore's own SigV4 signer)."""
        key, secret = creds
        signed = AWSRequest(method="POST", url=f"{self.url}/crossrole-test/expire", data=b"")
        SigV4Auth(Credentials(key, secret, token), "sts", REGION).add_auth(signed)
        req = urllib.request.Request(
            signed.url, data=b"", headers=dict(signed.headers.items()), method="POST"
        )
        with urllib.request.urlopen(req) as r:
            assert r.status == 204

    def stop(self) -> int:
        """SIGTERM, then the exit code (0: a graceful shutdown). Keeps the rest of the log."""
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self._reader.join(timeout=10)
        return code


@pytest.fixture
def start_emulator():
    """Starts emulators with the given arguments; stops every one at the end of the test."""
    started: list[Emulator] = []

    def start(*args: str) -> Emulator:
        emulator = Emulator(*args)
        started.append(emulator)
        return emulator

    yield start
    for e in started:
        e.stop()


@pytest.fixture
def emulator(start_emulator):
    return start_emulator("--test-hooks")


def session(creds, emulator: Emulator, **kwargs):
    """A boto3 session-token dict for `creds` (GetSessionToken), with MFA when asked."""
    sts = emulator.client("sts", creds)
    return sts.get_session_token(**kwargs)["Credentials"]


def as_pair(c) -> tuple[tuple[str, str], str]:
    return (c["AccessKeyId"], c["SecretAccessKey"]), c["SessionToken"]
