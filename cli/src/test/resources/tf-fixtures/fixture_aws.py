"""What the real collectors root does in AWS, for the fixture that stands in for it: makes (create) or removes
(destroy) the forwarder function, its role and pglogs' subscription filters in the emulator, so that pglogs' own
check of AWS after an apply or destroy sees what the real root would leave. Takes the fixture's input as JSON."""
import io
import json
import os
import sys
import zipfile

import boto3
from botocore.exceptions import ClientError

action, spec = sys.argv[1], json.loads(sys.argv[2])
function, env = spec["function"], spec["env"]
groups = [f"/aws/rds/instance/{i}/postgresql" for i in spec["instances"]] + \
    [f"/aws/rds/cluster/{c}/postgresql" for c in spec["clusters"]]
session = boto3.session.Session(region_name=os.environ["AWS_REGION"])  # botocore reads only AWS_DEFAULT_REGION
iam, lam, logs = session.client("iam"), session.client("lambda"), session.client("logs")


def ignore(call, *codes, **kwargs):
    try:
        return call(**kwargs)
    except ClientError as e:
        if e.response["Error"]["Code"] not in codes:
            raise


if action == "create":
    ignore(iam.create_role, "EntityAlreadyExists", RoleName=function, AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                "Principal": {"Service": "lambda.amazonaws.com"}}]}))
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("placeholder.txt", "fixture")
    ignore(lam.create_function, "ResourceConflictException", FunctionName=function, Runtime="java21",
                 Role=iam.get_role(RoleName=function)["Role"]["Arn"], Handler="x::handle",
                 Code={"ZipFile": zipped.getvalue()})
    arn = lam.get_function(FunctionName=function)["Configuration"]["FunctionArn"]
    for g in groups:
        ignore(logs.create_log_group, "ResourceAlreadyExistsException", logGroupName=g)
        logs.put_subscription_filter(logGroupName=g, filterName=f"pglogs-{env}", filterPattern="",
                                     destinationArn=arn)
else:
    for g in groups:
        ignore(logs.delete_subscription_filter, "ResourceNotFoundException", logGroupName=g,
               filterName=f"pglogs-{env}")
    ignore(lam.delete_function, "ResourceNotFoundException", FunctionName=function)
    ignore(iam.delete_role, "NoSuchEntity", RoleName=function)
