"""What scripts/rehearse asks of the emulated account, through boto3 (moto's venv has it).

    rehearse_aws.py ping
    rehearse_aws.py seed N CLUSTER FUNCTION      N instance log groups, a cluster's, and FUNCTION's own log group
    rehearse_aws.py check-subscribed N FILTER... each of the N+1 PostgreSQL groups has exactly these filters
    rehearse_aws.py check-policy FUNCTION [Q]    the resource policy has two statements and fits Lambda's 20 KB
    rehearse_aws.py write-entries TABLE...       the forwarder jar's local runner writes one real payload to each
    rehearse_aws.py fail-payload QUEUE           an on-failure record of a real payload, as Lambda leaves it in QUEUE
    rehearse_aws.py count TABLE                  items in TABLE (prints a number)
    rehearse_aws.py check-no-table TABLE
    rehearse_aws.py check-gone-function FUNCTION

Endpoint, region and credentials come from the environment, as for any AWS tool. Exits 1 with one line on a failed check.
"""
import base64
import gzip
import json
import os
import re
import subprocess
import sys

import boto3

POLICY_LIMIT = 20 * 1024


def fail(message):
    print(f"rehearse_aws: {message}", file=sys.stderr)
    sys.exit(1)


def postgres_groups(logs):
    groups = []
    for prefix in ("/aws/rds/instance/", "/aws/rds/cluster/"):
        for page in logs.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=prefix):
            groups += [g["logGroupName"] for g in page["logGroups"] if g["logGroupName"].endswith("/postgresql")]
    return groups


def seed(n, cluster, function):
    logs = boto3.client("logs")
    for i in range(int(n)):
        logs.create_log_group(logGroupName=f"/aws/rds/instance/db-{i:02d}/postgresql")
    logs.create_log_group(logGroupName=f"/aws/rds/cluster/{cluster}/postgresql")
    # What Lambda does by itself when a function logs before Terraform made its group: no retention.
    logs.create_log_group(logGroupName=f"/aws/lambda/{function}")


def check_subscribed(n, *filters):
    logs = boto3.client("logs")
    groups = postgres_groups(logs)
    if len(groups) != int(n) + 1:
        fail(f"expected {int(n) + 1} PostgreSQL log groups, found {len(groups)}")
    for g in groups:
        names = sorted(f["filterName"] for f in logs.describe_subscription_filters(logGroupName=g)["subscriptionFilters"])
        if names != sorted(filters):
            fail(f"{g} has subscription filters {names}, expected {sorted(filters)}")


def check_policy(function, qualifier=None):
    args = {"FunctionName": function, **({"Qualifier": qualifier} if qualifier else {})}
    policy = boto3.client("lambda").get_policy(**args)["Policy"]
    statements = json.loads(policy)["Statement"]
    print(f"rehearse: resource policy of {function}{':' + qualifier if qualifier else ''}: {len(statements)} statement(s), {len(policy.encode())} bytes "
          f"(Lambda's limit {POLICY_LIMIT})")
    if len(statements) != 2 or len(policy.encode()) > POLICY_LIMIT:
        fail(f"the resource policy of {function} has {len(statements)} statements, {len(policy.encode())} bytes")


ENTRY_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def corpus_entries():
    """The entries of a real server's log (a checked-in snapshot), one CloudWatch event each, as RDS sends them."""
    path = os.path.join(os.path.dirname(__file__), "../../lambda/src/test/resources/corpus/postgresql.log")
    entries = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if ENTRY_START.match(line) or not entries:
                entries.append(line)
            else:
                entries[-1] += "\n" + line
    return entries


def subscription_event(instance, first_id):
    """A CloudWatch Logs subscription event carrying the corpus as INSTANCE's log, event ids from FIRST_ID on."""
    events = [{"id": f"{first_id + i}", "timestamp": 1796000000000 + i, "message": m}
              for i, m in enumerate(corpus_entries())]
    payload = {"messageType": "DATA_MESSAGE", "owner": "123456789012",
               "logGroup": f"/aws/rds/instance/{instance}/postgresql", "logStream": f"{instance}.0",
               "subscriptionFilters": ["rehearsal"], "logEvents": events}
    return {"awslogs": {"data": base64.b64encode(gzip.compress(json.dumps(payload).encode())).decode()}}


def fail_payload(queue):
    sqs = boto3.client("sqs")
    record = {"version": "1.0", "timestamp": "2026-11-29T00:00:00.000Z",
              "requestContext": {"requestId": "rehearsal", "condition": "RetriesExhausted", "approximateInvokeCount": 3},
              "requestPayload": subscription_event("db-01", 39000000000000000000000000000000000000000000000000000000),
              "responseContext": {"statusCode": 200, "functionError": "Unhandled"},
              "responsePayload": {"errorMessage": "writes did not finish before the deadline (rehearsal)"}}
    sqs.send_message(QueueUrl=sqs.get_queue_url(QueueName=queue)["QueueUrl"], MessageBody=json.dumps(record))


def write_entries(*tables):
    document = json.dumps(subscription_event("db-00", 38000000000000000000000000000000000000000000000000000000))
    jar = os.path.join(os.path.dirname(__file__), "../../lambda/target/pglogs-forwarder.jar")
    for table in tables:
        run = subprocess.run(["java", "-jar", jar], input=document + "\n", text=True, capture_output=True,
                             env=dict(os.environ, PGLOGS_TABLE=table))
        print(run.stdout, end="")
        if run.returncode != 0:
            fail(f"the forwarder failed writing to {table} (exit {run.returncode}): {run.stderr.strip()}")


def count(table):
    total = 0
    for page in boto3.client("dynamodb").get_paginator("scan").paginate(TableName=table, Select="COUNT"):
        total += page["Count"]
    print(total)


def check_no_table(table):
    if table in boto3.client("dynamodb").list_tables()["TableNames"]:
        fail(f"table {table} still exists")


def check_gone_function(function):
    names = [f["FunctionName"] for f in boto3.client("lambda").list_functions()["Functions"]]
    if function in names:
        fail(f"function {function} still exists")


COMMANDS = {"ping": lambda: boto3.client("sts").get_caller_identity(), "seed": seed,
            "check-subscribed": check_subscribed, "check-policy": check_policy, "write-entries": write_entries,
            "fail-payload": fail_payload,
            "count": count, "check-no-table": check_no_table, "check-gone-function": check_gone_function}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        fail(f"usage: rehearse_aws.py {'|'.join(COMMANDS)} ...")
    COMMANDS[sys.argv[1]](*sys.argv[2:])
