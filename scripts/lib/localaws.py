#!/usr/bin/env python3
"""Emulator-side steps of scripts/demo, run with the moto venv's Python (boto3 comes with moto).

  create-table TABLE                    the log table, shaped like the Terraform's (pk/sk, TTL on expires_at)
  deliver LOGFILE GROUP STREAM          put a PostgreSQL log file into CloudWatch Logs, read it back with
                                        FilterLogEvents and print the subscription events CloudWatch would send
                                        to Lambda, one JSON document per line
  show TABLE INSTANCE                   what landed: counts by severity, then the latest errors (Query, no Scan)

Endpoint and region come from AWS_ENDPOINT_URL and AWS_REGION.
"""
import base64
import collections
import datetime
import gzip
import json
import os
import re
import sys

import boto3

TIMESTAMP = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)")
SHARDS = 4


def client(service):
    return boto3.client(service, endpoint_url=os.environ["AWS_ENDPOINT_URL"],
                        region_name=os.environ.get("AWS_REGION", "us-east-1"))


def create_table(table):
    ddb = client("dynamodb")
    if table in ddb.list_tables()["TableNames"]:
        return
    ddb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "S"}],
                     Tags=[{"Key": "pglogs:shards", "Value": str(SHARDS)}])
    ddb.update_time_to_live(TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"})


def entries(path):
    """A line starting with a timestamp begins an entry; continuation lines belong to it (as RDS publishes them)."""
    current = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if TIMESTAMP.match(line) or current is None:
                if current is not None:
                    yield current
                current = line
            else:
                current += "\n" + line
    if current is not None:
        yield current


def epoch_millis(entry):
    m = TIMESTAMP.match(entry)
    ts = datetime.datetime.fromisoformat(m.group(1)).replace(tzinfo=datetime.timezone.utc)
    return int(ts.timestamp() * 1000)


def deliver(path, group, stream):
    logs = client("logs")
    try:
        logs.create_log_group(logGroupName=group)
    except logs.exceptions.ResourceAlreadyExistsException:
        pass
    try:
        logs.create_log_stream(logGroupName=group, logStreamName=stream)
    except logs.exceptions.ResourceAlreadyExistsException:
        pass
    events = [{"timestamp": epoch_millis(e), "message": e} for e in entries(path)]
    for i in range(0, len(events), 1000):
        logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=events[i:i + 1000])
    delivered = []
    for page in logs.get_paginator("filter_log_events").paginate(logGroupName=group, logStreamNames=[stream]):
        delivered.extend(page["events"])
    for i in range(0, len(delivered), 100):
        payload = {"messageType": "DATA_MESSAGE", "owner": "123456789012", "logGroup": group, "logStream": stream,
                   "subscriptionFilters": ["pglogs"],
                   "logEvents": [{"id": e["eventId"], "timestamp": e["timestamp"], "message": e["message"]}
                                 for e in delivered[i:i + 100]]}
        data = base64.b64encode(gzip.compress(json.dumps(payload).encode())).decode()
        print(json.dumps({"awslogs": {"data": data}}))
    print(f"localaws: {len(events)} entries put into {group}, {len(delivered)} read back", file=sys.stderr)


def printable(text):
    """Log content may hold escape sequences: never send them raw to a terminal."""
    return "".join(c if c.isprintable() or c in "\n\t" else "\\x%02x" % ord(c) for c in text)


def show(table, instance):
    ddb = client("dynamodb")
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    items = []
    for shard in range(SHARDS):
        for page in ddb.get_paginator("query").paginate(
                TableName=table, KeyConditionExpression="pk = :pk",
                ExpressionAttributeValues={":pk": {"S": f"{instance}#{today}#{shard}"}}):
            items.extend(page["Items"])
    items.sort(key=lambda i: i["sk"]["S"])
    counts = collections.Counter(i["severity"]["S"] for i in items)
    print(f"{len(items)} entries of {instance} stored today in {table}: "
          + ", ".join(f"{n} {s}" for s, n in counts.most_common()))
    print("latest errors:")
    for i in [i for i in items if i["severity"]["S"] in ("ERROR", "FATAL")][-6:]:
        who = f'{i.get("user", {}).get("S", "")}@{i.get("database", {}).get("S", "")}'
        print(f'  {i["ts"]["S"]} {i["severity"]["S"]:<5} {who:<14} {printable(i["message"]["S"]).splitlines()[0]}')
    redacted = [i for i in items if "redacted" in i]
    print(f"{len(redacted)} entries had a password redacted, e.g.:")
    for i in redacted[:2]:
        print(f'  {printable(i["message"]["S"]).splitlines()[0]}')


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"create-table": create_table, "deliver": deliver, "show": show}[command](*args)
