#!/usr/bin/env python3
"""Start a real local S3 + STS service for sts3's demo and tests, seed it, and stop it cleanly.

SeaweedFS (`weed mini`) serves S3 and STS (GetFederationToken, AssumeRole) on one port, issues
real signed session tokens and enforces their expiry and session policies. Optionally a `moto`
server answers GetSessionToken, which SeaweedFS lacks.

Everything listens on 127.0.0.1 on free ports with a throwaway data directory. Once ready the
settings are printed as KEY=VALUE lines followed by a line `READY`. The service stops (and the
data directory is removed) on SIGTERM/SIGINT, when standard input closes (with --stdin-lifeline),
or when the parent process dies — so a test run that crashes leaves nothing behind.
"""

import argparse
import base64
import concurrent.futures
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV_BIN = os.path.join(ROOT, ".venv", "bin")

ACCOUNT = "000000000000"
BASE_USER = "sts3-base"
ROLE_NAME = "S3BrowseRole"
REGION = "us-east-1"
# Top-level folders of the sts3-wide bucket (for `sts3 list --parallel`).
WIDE_PREFIXES = 32


def die_with_parent():
    """In the child, before exec: ask the kernel to SIGTERM it when this supervisor dies, even
    by SIGKILL, so no service outlives its supervisor."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def fail(msg):
    print(f"local_s3: {msg}", file=sys.stderr, flush=True)
    sys.exit(2)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_ports(n):
    ports = set()
    while len(ports) < n:
        ports.add(free_port())
    return sorted(ports)


def write_configs(conf_dir, access_key, secret_key, signing_key):
    s3_config = {
        "identities": [
            {
                "name": BASE_USER,
                "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                "actions": ["Admin", "Read", "List", "Write", "Tagging"],
                "policyNames": ["BaseUserPolicy"],
            }
        ]
    }
    iam_config = {
        "sts": {
            "tokenDuration": "1h",
            "maxSessionLength": "12h",
            "issuer": "seaweedfs-sts",
            "signingKey": signing_key,
        },
        "policy": {"defaultEffect": "Deny"},
        "roles": [
            {
                "roleName": ROLE_NAME,
                "roleArn": f"arn:aws:iam::{ACCOUNT}:role/{ROLE_NAME}",
                "trustPolicy": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"AWS": "*"},
                            "Action": ["sts:AssumeRole"],
                        }
                    ],
                },
                "attachedPolicies": ["S3ReadPolicy"],
            }
        ],
        "policies": [
            {
                "name": "S3ReadPolicy",
                "document": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": ["s3:GetObject", "s3:ListBucket"],
                            "Resource": ["arn:aws:s3:::*", "arn:aws:s3:::*/*"],
                        }
                    ],
                },
            },
            {
                "name": "BaseUserPolicy",
                "document": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Action": ["s3:*", "sts:*"], "Resource": ["*"]}
                    ],
                },
            },
        ],
    }
    s3_path = os.path.join(conf_dir, "s3.json")
    iam_path = os.path.join(conf_dir, "iam.json")
    for path, doc in ((s3_path, s3_config), (iam_path, iam_config)):
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2)
        os.chmod(path, 0o600)
    return s3_path, iam_path


def wait_http(url, proc, what, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            fail(f"{what} exited early with code {proc.returncode}; see its log in the data dir")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return  # any HTTP answer means it is serving
        except OSError:
            time.sleep(0.1)
    fail(f"{what} did not answer at {url} within {timeout:.0f}s")


def s3_client(endpoint, access_key, secret_key):
    import botocore.session
    from botocore.config import Config

    session = botocore.session.get_session()
    return session.create_client(
        "s3",
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 10}),
    )


def create_bucket(client, bucket):
    deadline = time.monotonic() + 30
    while True:
        try:
            client.create_bucket(Bucket=bucket)
            return
        except Exception as exc:  # the gateway may not have reached the filer yet
            if "BucketAlreadyOwnedByYou" in str(exc) or "BucketAlreadyExists" in str(exc):
                return
            if time.monotonic() > deadline:
                fail(f"could not create bucket {bucket}: {exc}")
            time.sleep(0.2)


def demo_keys():
    """A realistic tree: folders, nested prefixes, a 2,500-key prefix, unicode and spaces."""
    keys = ["README.md", "index.html", "robots.txt"]
    for year in (2024, 2025):
        for month in range(1, 13):
            for n in range(1, 9):
                keys.append(f"photos/{year}/{month:02d}/IMG_{year}{month:02d}{n:02d}.jpg")
    for day in range(1, 31):
        for hour in range(0, 24, 3):
            keys.append(f"logs/2026/11/{day:02d}/app-{hour:02d}00.log.gz")
    for n in range(2500):
        keys.append(f"big/item-{n:05d}.json")
    keys += [
        "docs/with space/report final.pdf",
        "docs/with space/notes (draft).txt",
        "docs/guide.md",
        "unicode/naïve café.txt",
        "unicode/日本語/ファイル.txt",
        "unicode/emoji 🎉 party.txt",
        "unicode/Ünïcødé/déjà vu.md",
        "reports/q1/summary.csv",
        "reports/q2/summary.csv",
        "reports/q3/summary.csv",
        "reports/q4/summary.csv",
        "deep/a/b/c/d/e/f/leaf.txt",
        # Control characters are legal in keys; they must never reach the terminal raw.
        "deep/ctrl/esc\x1b[31mred +.txt",
        "deep/ctrl/bell\x07tab\there.txt",
    ]
    return keys


# Objects to open, preview, download and share, put through S3 with their types and metadata:
# (key, body, content type, extra arguments).
LARGE_KEY = "docs/large.bin"


def sample_objects():
    import hashlib
    import json
    import random

    rng = random.Random(7)
    config = {
        "service": "billing",
        "replicas": 3,
        "regions": ["eu-west-1", "us-east-1"],
        "limits": {"cpu": "500m", "memory": "256Mi"},
        "debug": False,
        "owner": None,
    }
    notes = (
        "Release notes\n"
        "=============\n\n"
        "- sts3 opens objects: Enter shows the detail, p a preview.\n"
        "- s downloads, u shares a presigned URL.\n"
        "\tIndented with a tab.\n"
    )
    # Blocks of a hash chain: incompressible, and the same on every machine.
    large = bytearray()
    block = b"sts3"
    while len(large) < 24 * 1024 * 1024:
        block = hashlib.sha256(block).digest()
        large += block * 64
    return [
        ("docs/config.json", json.dumps(config).encode(), "application/json", {}),
        ("docs/notes.txt", notes.encode(), "text/plain; charset=utf-8", {}),
        ("docs/blob.bin", rng.randbytes(3 * 1024 * 1024), "application/octet-stream", {}),
        ("docs/tagged.csv", b"id,name\n1,alpha\n2,beta\n", "text/csv",
         {"Metadata": {"owner": "alice", "team": "data-eng"}, "CacheControl": "max-age=60"}),
        (LARGE_KEY, bytes(large[: 24 * 1024 * 1024]), "application/octet-stream", {}),
    ]


def put_samples(client, bucket):
    """Puts the sample objects; returns the large one's SHA-256."""
    import hashlib

    digest = None
    for key, body, content_type, extra in sample_objects():
        client.put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type, **extra)
        if key == LARGE_KEY:
            digest = hashlib.sha256(body).hexdigest()
    return digest


MOTO_KEYS = ["README.md", "photos/2025/01/IMG_20250101.jpg", "reports/q1/summary.csv"]


LOGS_BUCKET = "sts3-logs"


def logs_keys():
    return [f"app/2026/11/{day:02d}/app-{hour:02d}.log" for day in range(20, 27) for hour in (0, 12)]


def seed_moto_tree(client, bucket, keys, workers=16):
    """The demo's tree in moto too (session-token mode then shows the same bucket)."""
    from concurrent.futures import ThreadPoolExecutor

    def put(key):
        client.put_object(Bucket=bucket, Key=key, Body=body_for(key))

    # A line now and then, so a slow machine shows progress rather than a pause.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for done, _ in enumerate(pool.map(put, keys), start=1):
            if done % 500 == 0:
                print(
                    f"local_s3: seeding moto's {bucket}: {done:,} of {len(keys):,} keys",
                    file=sys.stderr,
                    flush=True,
                )


def body_for(key):
    # Varied sizes so the size column has something to show; deterministic for repeatability.
    size = 64 + (sum(key.encode("utf-8")) * 37) % 20000
    seed = key.encode("utf-8")
    return (seed * (size // len(seed) + 1))[:size]


def seed_bucket(filer_port, bucket, keys, workers=8):
    def put(key):
        url = f"http://127.0.0.1:{filer_port}/buckets/{bucket}/" + urllib.parse.quote(key)
        req = urllib.request.Request(url, data=body_for(key), method="PUT")
        # Patient: on a loaded machine the filer has refused connections for a moment after it
        # first answered (a CI run lost its service so); a filer that is gone fails in ~15 s.
        for attempt in range(20):
            try:
                urllib.request.urlopen(req, timeout=30).close()
                return
            except OSError:
                if attempt == 19:
                    raise
                time.sleep(min(0.2 * (attempt + 1), 1.0))

    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(put, keys))


class Service:
    def __init__(self, args):
        self.args = args
        self.procs = []
        self.owned_dir = None
        self.stopping = threading.Event()

    def start(self):
        if self.args.data_dir:
            base = os.path.abspath(self.args.data_dir)
            os.makedirs(base, exist_ok=True)
        else:
            base = tempfile.mkdtemp(prefix="sts3-local-s3-")
            self.owned_dir = base
        self.base = base
        weed = os.path.join(VENV_BIN, "weed")
        if not os.path.exists(weed):
            fail(f"{weed} not found; run scripts/setup to install the local S3 service")
        access_key = "AKIA" + secrets.token_hex(8).upper()
        secret_key = secrets.token_urlsafe(30)
        signing_key = base64.b64encode(secrets.token_bytes(32)).decode()
        data = os.path.join(base, "weed-data")
        os.makedirs(data, exist_ok=True)
        s3_cfg, iam_cfg = write_configs(base, access_key, secret_key, signing_key)
        p = free_ports(10)
        s3, filer, master, volume, admin = p[0], p[1], p[2], p[3], p[4]
        grpc = p[5:10]
        log = open(os.path.join(base, "weed.log"), "wb")
        cmd = [
            weed, "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-master.telemetry=false", "-admin.ui=false", "-webdav=false",
            f"-s3.port={s3}", f"-s3.port.grpc={grpc[0]}",
            f"-filer.port={filer}", f"-filer.port.grpc={grpc[1]}",
            f"-master.port={master}", f"-master.port.grpc={grpc[2]}",
            f"-volume.port={volume}", f"-volume.port.grpc={grpc[3]}",
            f"-admin.port={admin}", f"-admin.port.grpc={grpc[4]}",
            f"-s3.config={s3_cfg}", f"-s3.iam.config={iam_cfg}",
        ]
        self.procs.append(subprocess.Popen(
                cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                preexec_fn=die_with_parent,
            ))
        moto = self.start_moto(base) if self.args.moto else None
        endpoint = f"http://127.0.0.1:{s3}"
        wait_http(endpoint + "/", self.procs[0], "weed mini")
        wait_http(f"http://127.0.0.1:{filer}/", self.procs[0], "weed filer")
        settings = {
            "STS3_TEST_ENDPOINT": endpoint,
            "STS3_TEST_ACCESS_KEY": access_key,
            "STS3_TEST_SECRET_KEY": secret_key,
            "STS3_TEST_SIGNING_KEY": signing_key,
            "STS3_TEST_REGION": REGION,
            "STS3_TEST_ROLE_ARN": f"arn:aws:iam::{ACCOUNT}:role/{ROLE_NAME}",
            "STS3_TEST_FILER": f"http://127.0.0.1:{filer}",
            "STS3_TEST_DATA_DIR": base,
            "STS3_TEST_PID": str(os.getpid()),
        }
        if self.args.seed:
            client = s3_client(endpoint, access_key, secret_key)
            create_bucket(client, self.args.bucket)
            create_bucket(client, "empty-bucket")
            # A third bucket, so the bucket picker has a choice of non-empty ones.
            create_bucket(client, LOGS_BUCKET)
            seed_bucket(filer, LOGS_BUCKET, logs_keys())
            keys = demo_keys()
            started = time.monotonic()
            seed_bucket(filer, self.args.bucket, keys)
            settings["STS3_TEST_LARGE_SHA256"] = put_samples(client, self.args.bucket)
            settings["STS3_TEST_LARGE_KEY"] = LARGE_KEY
            keys += [key for key, *_ in sample_objects()]
            settings["STS3_TEST_BUCKET"] = self.args.bucket
            settings["STS3_TEST_SEEDED_KEYS"] = str(len(keys))
            print(
                f"local_s3: seeded {len(keys)} keys into {self.args.bucket} in "
                f"{time.monotonic() - started:.1f}s",
                file=sys.stderr,
                flush=True,
            )
        if self.args.big_bucket:
            client = s3_client(endpoint, access_key, secret_key)
            create_bucket(client, "sts3-big")
            started = time.monotonic()
            seed_bucket(filer, "sts3-big", [f"k/{n:08d}" for n in range(self.args.big_bucket)], workers=16)
            settings["STS3_TEST_BIG_KEYS"] = str(self.args.big_bucket)
            print(
                f"local_s3: seeded {self.args.big_bucket} keys into sts3-big in "
                f"{time.monotonic() - started:.1f}s",
                file=sys.stderr,
                flush=True,
            )
        if self.args.wide_bucket:
            client = s3_client(endpoint, access_key, secret_key)
            create_bucket(client, "sts3-wide")
            started = time.monotonic()
            n = self.args.wide_bucket
            keys = [f"p{i % WIDE_PREFIXES:02d}/{i // WIDE_PREFIXES:08d}" for i in range(n)]
            seed_bucket(filer, "sts3-wide", keys, workers=16)
            settings["STS3_TEST_WIDE_KEYS"] = str(n)
            print(
                f"local_s3: seeded {n} keys under {WIDE_PREFIXES} top-level folders into "
                f"sts3-wide in {time.monotonic() - started:.1f}s",
                file=sys.stderr,
                flush=True,
            )
        if moto is not None:
            moto.join()
            if moto.failure:
                fail(moto.failure)
            settings.update(moto.settings)
        return settings

    def start_moto(self, base):
        """moto (GetSessionToken, which SeaweedFS lacks), started and seeded on a thread of its
        own while SeaweedFS starts and is seeded: the slower of the two is all one waits."""
        moto = os.path.join(VENV_BIN, "moto_server")
        if not os.path.exists(moto):
            fail(f"{moto} not found; run scripts/setup to install moto")
        port = free_port()
        mlog = open(os.path.join(base, "moto.log"), "wb")
        proc = subprocess.Popen(
            [moto, "-H", "127.0.0.1", "-p", str(port)],
            stdout=mlog, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=die_with_parent,
        )
        self.procs.append(proc)
        job = threading.Thread(target=self.seed_moto, args=(proc, port), daemon=True)
        job.settings = {}
        job.failure = None
        job.start()
        return job

    def seed_moto(self, proc, port):
        job = threading.current_thread()
        try:
            wait_http(f"http://127.0.0.1:{port}/moto-api/", proc, "moto_server")
            moto_endpoint = f"http://127.0.0.1:{port}"
            job.settings["STS3_TEST_MOTO_ENDPOINT"] = moto_endpoint
            if not self.args.seed:
                return
            # moto's S3 accepts the credentials its STS issues; give it a small bucket too.
            client = s3_client(moto_endpoint, "testing", "testing")
            create_bucket(client, self.args.bucket)
            if self.args.moto_tree:
                started = time.monotonic()
                tree = demo_keys()
                seed_moto_tree(client, self.args.bucket, tree)
                job.settings["STS3_TEST_MOTO_KEYS"] = str(len(tree))
                print(
                    f"local_s3: seeded {len(tree)} keys into moto's {self.args.bucket} in "
                    f"{time.monotonic() - started:.1f}s",
                    file=sys.stderr,
                    flush=True,
                )
            else:
                for key in MOTO_KEYS:
                    client.put_object(Bucket=self.args.bucket, Key=key, Body=body_for(key))
                job.settings["STS3_TEST_MOTO_KEYS"] = str(len(MOTO_KEYS))
        except SystemExit:
            job.failure = "moto did not start; see its log"
        except Exception as exc:  # a failure is said by the main thread, which stops
            job.failure = f"seeding moto failed: {exc}"

    def stop(self):
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + 8
        for proc in self.procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self.owned_dir:
            shutil.rmtree(self.owned_dir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", action="store_true", help="create and seed the demo bucket")
    parser.add_argument("--bucket", default="sts3-demo", help="name of the seeded bucket")
    parser.add_argument("--moto", action="store_true", help="also start moto for GetSessionToken")
    parser.add_argument(
        "--moto-tree",
        action="store_true",
        help="with --seed: give moto's bucket the demo's whole tree (the demo), not three keys",
    )
    parser.add_argument(
        "--big-bucket", type=int, default=0, metavar="N",
        help="also create bucket sts3-big with N keys under k/ (for benchmarks)",
    )
    parser.add_argument(
        "--wide-bucket", type=int, default=0, metavar="N",
        help=f"also create bucket sts3-wide with N keys spread over {WIDE_PREFIXES} top-level folders",
    )
    parser.add_argument("--data-dir", help="keep data here instead of a removed temp dir")
    parser.add_argument("--env-file", help="also write the settings to this file")
    parser.add_argument(
        "--stdin-lifeline", action="store_true", help="stop when standard input closes"
    )
    args = parser.parse_args()

    service = Service(args)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGHUP, lambda *_: stop.set())
    parent = os.getppid()
    try:
        settings = service.start()
        lines = "".join(f"{k}={v}\n" for k, v in settings.items())
        if args.env_file:
            with open(args.env_file, "w", encoding="utf-8") as f:
                f.write(lines)
            os.chmod(args.env_file, 0o600)
        sys.stdout.write(lines + "READY\n")
        sys.stdout.flush()
        if args.stdin_lifeline:
            threading.Thread(
                target=lambda: (sys.stdin.read(), stop.set()), daemon=True
            ).start()
        while not stop.is_set():
            if os.getppid() != parent:
                break
            if any(p.poll() is not None for p in service.procs):
                print("local_s3: a service process exited; stopping", file=sys.stderr)
                break
            stop.wait(0.3)
    finally:
        service.stop()


if __name__ == "__main__":
    main()
