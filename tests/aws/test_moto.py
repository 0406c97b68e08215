"""The moto launcher the console's end-to-end test uses: auth on, signatures verified by moto,
and GetSessionToken sessions that moto accepts as their user. Checked with boto3 first, so
that a failure in the browser test is the console's, not the set-up's."""

import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
from conftest import record_server
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def moto():
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "moto_server.py")], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    record_server(proc.pid)
    try:
        for line in proc.stderr:
            if line.startswith('{"kind": "listening"'):
                yield json.loads(line)
                break
        else:
            pytest.fail("moto did not start")
    finally:
        proc.terminate()
        assert proc.wait(timeout=20) == 0, "moto stops cleanly on SIGTERM"


def client(moto, service, key, secret, token=None):
    return boto3.client(
        service,
        endpoint_url=moto["url"],
        region_name="us-west-2",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        config=Config(retries={"max_attempts": 1}),
    )


def test_david_switches_and_reads_with_a_session(moto):
    d = moto["users"]["David"]
    long_term = client(moto, "sts", d["accessKeyId"], d["secretAccessKey"])
    assert long_term.get_caller_identity()["Arn"] == f"arn:aws:iam::{moto['account']}:user/David"
    creds = long_term.get_session_token()["Credentials"]
    sts = client(moto, "sts", creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
    role = sts.assume_role(
        RoleArn=f"arn:aws:iam::{moto['account']}:role/AccessToProdDynamoDB", RoleSessionName="David"
    )["Credentials"]
    ddb = client(moto, "dynamodb", role["AccessKeyId"], role["SecretAccessKey"], role["SessionToken"])
    assert len(ddb.scan(TableName="GameScores")["Items"]) == 2


def test_moto_refuses_what_it_should(moto):
    d, m = moto["users"]["David"], moto["users"]["Maria"]
    with pytest.raises(ClientError) as info:
        client(moto, "sts", d["accessKeyId"], "wrong-secret").get_caller_identity()
    assert info.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    creds = client(moto, "sts", d["accessKeyId"], d["secretAccessKey"]).get_session_token()["Credentials"]
    with pytest.raises(ClientError) as info:
        client(moto, "sts", creds["AccessKeyId"], creds["SecretAccessKey"], "not-the-token").get_caller_identity()
    assert info.value.response["Error"]["Code"] == "InvalidClientTokenId"
    with pytest.raises(ClientError) as info:
        client(moto, "sts", m["accessKeyId"], m["secretAccessKey"]).assume_role(
            RoleArn=f"arn:aws:iam::{moto['account']}:role/AccessToProdDynamoDB", RoleSessionName="Maria"
        )
    assert info.value.response["Error"]["Code"] == "AccessDenied"
