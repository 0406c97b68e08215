"""A generated world for the bench: ACCOUNTS accounts of ROLES roles each (default 1,000 x 100
= 100,000 roles). Account 000000000001 holds the caller, user Bench (access key only) allowed
sts:AssumeRole on every role; every role trusts that account and has one small policy.

Usage: python3 bench/genworld.py OUT.json [ACCOUNTS] [ROLES]
Prints the caller's key, secret and a role ARN to switch to as one JSON line.
"""

import json
import sys


def main() -> None:
    out = sys.argv[1]
    accounts = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    roles = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    caller_account = "000000000001"
    key, secret = "AKIABENCHCALLER00001", "BenchSecretKeyExample/ForDemoOnly0000000"
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{caller_account}:root"}, "Action": "sts:AssumeRole"}],
    }
    world = {"format": 1, "region": "us-west-2", "accounts": []}
    for a in range(1, accounts + 1):
        account_id = f"{a:012d}"
        account = {"id": account_id, "alias": f"bench-{a}", "users": [], "roles": [], "tables": []}
        if account_id == caller_account:
            account["users"].append({
                "name": "Bench",
                "accessKeys": [{"id": key, "secret": secret}],
                "policies": {"SwitchAnywhere": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}},
            })
        for r in range(roles):
            account["roles"].append({
                "name": f"Role{r:03d}",
                "path": "/",
                "maxSessionDuration": 3600,
                "trustPolicy": trust,
                "policies": {"Read": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:Scan", "Resource": f"arn:aws:dynamodb:us-west-2:{account_id}:table/T{r}"}]}},
            })
        world["accounts"].append(account)
    with open(out, "w") as f:
        json.dump(world, f)
    middle = f"{accounts // 2 or 1:012d}"
    print(json.dumps({"key": key, "secret": secret, "roleArn": f"arn:aws:iam::{middle}:role/Role{roles // 2:03d}"}))


if __name__ == "__main__":
    main()
