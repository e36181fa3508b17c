"""moto in server mode with one bucket seeded in-process from a directory, for `npm run bench:record`.

A year of run records is about 170,000 objects. Through moto's HTTP front end a PUT costs several
milliseconds of moto's own time (about 110 PUTs/s on a loaded 2-core machine: 25 minutes for the
year), so the objects go straight into moto's S3 backend in this process (its put_object, the same
code a PUT request ends in: ETags and listing are moto's own), then the same process serves HTTP.

The stack the CLI reads its crons from (`gap`, `report`, `snapshot` with --bucket read the deployed
function's crons from the stack's outputs and the function's configuration) is created too, through
the served API: a CloudFormation stack whose outputs name the function, and the function with the
crons the year was recorded at.

usage: moto_seeded.py PORT BUCKET REGION DIR STACK FUNCTION PRIMARY_CRON FALLBACK_CRON
Prints "ready <objects> <seconds>" once serving; exits when stdin closes.
"""

import io
import json
import logging
import os
import sys
import time
import zipfile

import boto3

from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.models import s3_backends
from moto.server import ThreadedMotoServer


def seed(bucket: str, region: str, root: str) -> int:
    backend = s3_backends[DEFAULT_ACCOUNT_ID]["aws"]
    backend.create_bucket(bucket, region)
    count = 0
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            key = os.path.relpath(path, root).replace(os.sep, "/")
            with open(path, "rb") as f:
                backend.put_object(bucket, key, f.read())
            count += 1
    return count


def deployed(endpoint: str, region: str, stack: str, function: str, primary: str, fallback: str) -> None:
    kw = dict(endpoint_url=endpoint, region_name=region, aws_access_key_id="testing", aws_secret_access_key="testing")
    role = boto3.client("iam", **kw).create_role(
        RoleName="aegis-bench-monitor",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as z:
        z.writestr("index.js", "exports.handler = async () => {};")
    boto3.client("lambda", **kw).create_function(
        FunctionName=function,
        Runtime="nodejs20.x",
        Role=role,
        Handler="index.handler",
        Code={"ZipFile": code.getvalue()},
        Environment={"Variables": {"AEGIS_PT_PRIMARY_CRON": primary, "AEGIS_PT_FALLBACK_CRON": fallback}},
    )
    template = {
        "Resources": {"Nothing": {"Type": "AWS::SNS::Topic"}},
        "Outputs": {"MonitorFunctionName": {"Value": function}},
    }
    boto3.client("cloudformation", **kw).create_stack(StackName=stack, TemplateBody=json.dumps(template))


def main() -> None:
    port, bucket, region, root = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    stack, function, primary, fallback = sys.argv[5:9]
    # One log line per request is most of a loaded server's output and some of its time.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    start = time.time()
    count = seed(bucket, region, root)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    deployed(f"http://127.0.0.1:{port}", region, stack, function, primary, fallback)
    print(f"ready {count} {time.time() - start:.1f}", flush=True)
    sys.stdin.read()
    # The server's threads may hold the process: once stdin closes, it ends, whatever they are doing.
    os._exit(0)


if __name__ == "__main__":
    main()
