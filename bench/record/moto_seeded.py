"""moto in server mode with one bucket seeded in-process from a directory, for `npm run bench:record`.

A year of run records is about 170,000 objects. Through moto's HTTP front end a PUT costs several
milliseconds of moto's own time (about 110 PUTs/s on a loaded 2-core machine: 25 minutes for the
year), so the objects go straight into moto's S3 backend in this process (its put_object, the same
code a PUT request ends in: ETags and listing are moto's own), then the same process serves HTTP.

usage: moto_seeded.py PORT BUCKET REGION DIR
Prints "ready <objects> <seconds>" once serving; exits when stdin closes.
"""

import logging
import os
import sys
import time

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


def main() -> None:
    port, bucket, region, root = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    # One log line per request is most of a loaded server's output and some of its time.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    start = time.time()
    count = seed(bucket, region, root)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    print(f"ready {count} {time.time() - start:.1f}", flush=True)
    sys.stdin.read()
    # The server's threads may hold the process: once stdin closes, it ends, whatever they are doing.
    os._exit(0)


if __name__ == "__main__":
    main()
