# Per-Query time of moto_server's DynamoDB on tables of N items (bench/moto-query-time runs it): moto's query() walks
# every item of the table. usage: moto-query-time.py ENDPOINT N [N...]
import sys, time, boto3, statistics
ep = sys.argv[1]
ddb = boto3.client("dynamodb", endpoint_url=ep, region_name="us-east-1",
                   aws_access_key_id="bench", aws_secret_access_key="bench")
pad = "x" * 400  # ~ an entry item's size (entries format: ~530 B)
for n in map(int, sys.argv[2:]):
    name = f"t{n}"
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}])
    # 200 partitions (instance-day-shards), items spread over them, as a fleet table's
    batch = []
    for i in range(n):
        batch.append({"PutRequest": {"Item": {"pk": {"S": f"inst-{i % 200:03d}#2026-12-04#{i % 4}"},
                                              "sk": {"S": f"2026-12-04T{(i // 200) % 24:02d}:00:00.000Z#{i:09d}"},
                                              "m": {"S": pad}}}})
        if len(batch) == 25:
            ddb.batch_write_item(RequestItems={name: batch}); batch = []
    if batch:
        ddb.batch_write_item(RequestItems={name: batch})
    times = []
    for r in range(7):
        t = time.perf_counter()
        out = ddb.query(TableName=name, ConsistentRead=True,
                        KeyConditionExpression="pk = :p AND sk BETWEEN :a AND :b",
                        ExpressionAttributeValues={":p": {"S": "inst-007#2026-12-04#3"},
                                                   ":a": {"S": "2026-12-04T05"}, ":b": {"S": "2026-12-04T06"}})
        times.append(time.perf_counter() - t)
    print(f"moto table of {n:,} items: Query returning {out['Count']} items: median {statistics.median(times)*1000:.1f} ms, min {min(times)*1000:.1f} ms (7 Queries)", flush=True)
    ddb.delete_table(TableName=name)
