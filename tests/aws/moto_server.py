"""moto's server (auth on) with a demo world of its own, for the console's end-to-end test.

moto is the independent check of the console's SigV4 signer: it verifies every signature
with botocore's signer, and evaluates identity and trust policies itself. One gap has to be
filled for a console: moto's GetSessionToken answers fixed example credentials that moto
itself then refuses. Here GetSessionToken issues real session credentials for the calling
user, which moto's access control accepts as that user (token included). Nothing else of
moto changes.

Prints one JSON line on stderr when ready: {"kind": "listening", "url": ..., "users": {...}}.
Stops on SIGTERM/SIGINT.
"""

import datetime
import json
import secrets
import signal
import string
import sys
import threading

import boto3
from botocore.credentials import Credentials
from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.iam import access_control
from moto.iam.models import iam_backends
from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.sts.responses import TokenResponse

ACCOUNT = "123456789012"
REGION = "us-west-2"

# Session credentials issued by GetSessionToken: access key id -> (account, user, secret, token).
SESSIONS: dict[str, tuple[str, str, str, str]] = {}


def _random(alphabet: str, n: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


def get_session_token(self) -> ActionResult:
    duration = self._get_int_param("DurationSeconds", 43200)
    key = self.get_access_key()
    backend = iam_backends[self.current_account][self.partition]
    user = next(
        (u.name for u in backend.users.values() for k in u.access_keys if k.access_key_id == key),
        None,
    )
    if user is None:
        raise access_control.InvalidClientTokenIdError()
    access_key_id = "ASIA" + _random(string.ascii_uppercase + "234567", 16)
    secret = _random(string.ascii_letters + string.digits + "+/", 40)
    token = "FwoGZXIvYXdzE" + _random(string.ascii_letters + string.digits + "+/", 120)
    SESSIONS[access_key_id] = (self.current_account, user, secret, token)
    return ActionResult(
        {
            "Credentials": {
                "AccessKeyId": access_key_id,
                "SecretAccessKey": secret,
                "SessionToken": token,
                "Expiration": utcnow() + datetime.timedelta(seconds=duration),
            }
        }
    )


class SessionTokenAccessKey(access_control.IAMUserAccessKey):
    """A GetSessionToken session: acts as its user, and must present its token."""

    def __init__(self, partition: str, access_key_id: str, headers: dict[str, str]):
        account, user, secret, token = SESSIONS[access_key_id]
        self.account_id = account
        self.partition = partition
        self._owner_user_name = user
        self._access_key_id = access_key_id
        self._secret_access_key = secret
        self._session_token = token
        if headers.get("X-Amz-Security-Token") != token:
            raise access_control.CreateAccessKeyFailure(reason="InvalidToken")

    def create_credentials(self) -> Credentials:
        return Credentials(self._access_key_id, self._secret_access_key, self._session_token)


_original_create_access_key = access_control.create_access_key


def create_access_key(account_id, partition, access_key_id, headers):
    if access_key_id in SESSIONS:
        return SessionTokenAccessKey(partition, access_key_id, headers)
    return _original_create_access_key(account_id, partition, access_key_id, headers)


def policy(*statements) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def seed(url: str) -> dict:
    """Moto's own demo world (one account): David may switch to the prod role, Maria may not."""
    kw = dict(endpoint_url=url, region_name=REGION, aws_access_key_id="AKIAMOTOSEED00000000", aws_secret_access_key="seed")
    iam = boto3.client("iam", **kw)
    ddb = boto3.client("dynamodb", **kw)
    role_arn = f"arn:aws:iam::{ACCOUNT}:role/AccessToProdDynamoDB"
    iam.create_role(
        RoleName="AccessToProdDynamoDB",
        AssumeRolePolicyDocument=policy(
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:user/David"}, "Action": "sts:AssumeRole"}
        ),
    )
    # moto authorises DynamoDB calls against the resource "*".
    iam.put_role_policy(
        RoleName="AccessToProdDynamoDB",
        PolicyName="GameScores",
        PolicyDocument=policy({"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}),
    )
    users = {}
    # AWS lets every user call GetSessionToken; moto asks for the permission.
    own = {"Effect": "Allow", "Action": ["sts:GetSessionToken", "iam:ListAccountAliases"], "Resource": "*"}
    for name, statements in {
        "David": [own, {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn}],
        "Maria": [own],
    }.items():
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="Own", PolicyDocument=policy(*statements))
        key = iam.create_access_key(UserName=name)["AccessKey"]
        users[name] = {"accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"]}
    ddb.create_table(
        TableName="GameScores",
        KeySchema=[{"AttributeName": "UserId", "KeyType": "HASH"}, {"AttributeName": "GameTitle", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "UserId", "AttributeType": "S"},
            {"AttributeName": "GameTitle", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    for user, game, score in [("101", "Galaxy Invaders", "5842"), ("102", "Meteor Blasters", "1000")]:
        ddb.put_item(
            TableName="GameScores",
            Item={"UserId": {"S": user}, "GameTitle": {"S": game}, "TopScore": {"N": score}},
        )
    return users


def main() -> None:
    TokenResponse.get_session_token = get_session_token
    access_control.create_access_key = create_access_key
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    users = seed(url)
    # From now on every request must be signed by a known key and allowed by its policies.
    import urllib.request

    urllib.request.urlopen(
        urllib.request.Request(
            f"{url}/moto-api/reset-auth", data=b"0", method="POST", headers={"Content-Type": "text/plain"}
        )
    ).read()
    print(json.dumps({"kind": "listening", "url": url, "account": ACCOUNT, "users": users}), file=sys.stderr, flush=True)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    server.stop()


if __name__ == "__main__":
    main()
