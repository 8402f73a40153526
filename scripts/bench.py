#!/usr/bin/env python3
"""sts3 benchmarks against the local S3+STS service; results go to bench/RESULTS.md.

Measures, with the release build:
  - time to the first page (credentials issued + one ListObjectsV2 page) for a small and a big
    bucket: it must not grow with the bucket;
  - a full `sts3 list` of the big bucket: time, keys per second, peak memory;
  - the TUI in tmux: time from launch to the first listing on screen, memory after paging in
    every key, and CPU use while idle.
"""

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/sts3-target"))
STS3 = os.path.join(TARGET, "release", "sts3")
BIG = int(os.environ.get("BIG_KEYS", "100000"))
RUNS = int(os.environ.get("RUNS", "5"))


def start_service():
    proc = subprocess.Popen(
        [os.path.join(ROOT, ".venv/bin/python"), os.path.join(ROOT, "scripts/local_s3.py"),
         "--seed", "--big-bucket", str(BIG)],
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


def env_for(s):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID=s["STS3_TEST_ACCESS_KEY"], AWS_SECRET_ACCESS_KEY=s["STS3_TEST_SECRET_KEY"],
               AWS_REGION="us-east-1", XDG_CONFIG_HOME=tempfile.mkdtemp())
    return env


def timed_list(s, bucket, extra):
    args = [STS3, "list", "-b", bucket, "-u", "bench", "--endpoint-url", s["STS3_TEST_ENDPOINT"], *extra]
    # A fresh wrapper process, so its children's peak memory is sts3's alone.
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.monotonic()\n"
        "out = subprocess.run(sys.argv[1:], capture_output=True, text=True, check=True)\n"
        "r = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "sys.stderr.write(f'{time.monotonic() - t} {r.ru_maxrss} {r.ru_utime + r.ru_stime}')\n"
        "sys.stdout.write(out.stdout)\n"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *args], env=env_for(s),
                         capture_output=True, text=True, check=True)
    elapsed, maxrss, cpu = out.stderr.split()
    return float(elapsed), out.stdout, int(maxrss), float(cpu)


def tmux(*args):
    return subprocess.run(["tmux", "-L", "sts3-bench", "-f", "/dev/null", *args],
                          capture_output=True, text=True).stdout


def proc_stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime + stime
    with open(f"/proc/{pid}/status") as f:
        rss = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))
    return ticks / os.sysconf("SC_CLK_TCK"), rss


def tui(s):
    env = env_for(s)
    script = tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False)
    exports = "".join(f"export {k}='{v}'\n" for k, v in env.items() if k.startswith(("AWS_", "XDG_")))
    script.write(f"{exports}exec {STS3} -b sts3-big --prefix k/ -u bench --endpoint-url {s['STS3_TEST_ENDPOINT']}\n")
    script.close()
    started = time.monotonic()
    tmux("new-session", "-d", "-s", "b", "-x", "120", "-y", "40", f"sh {script.name}")
    while "keys loaded" not in tmux("capture-pane", "-p", "-t", "b"):
        if time.monotonic() - started > 60:
            sys.exit("bench: the TUI did not show a listing")
        time.sleep(0.01)
    first_screen = time.monotonic() - started
    pid = int(tmux("display-message", "-p", "-t", "b", "#{pane_pid}").strip())
    time.sleep(2)
    cpu0, _ = proc_stat(pid)
    time.sleep(10)
    cpu1, rss_first = proc_stat(pid)
    idle_cpu = (cpu1 - cpu0) / 10 * 100
    page_started = time.monotonic()
    while f"all {BIG} keys loaded" not in tmux("capture-pane", "-p", "-t", "b"):
        tmux("send-keys", "-t", "b", "G")
        time.sleep(0.05)
        if time.monotonic() - page_started > 300:
            sys.exit("bench: paging did not finish")
    paged = time.monotonic() - page_started
    time.sleep(1)
    _, rss_all = proc_stat(pid)
    tmux("kill-server")
    os.unlink(script.name)
    return first_screen, idle_cpu, rss_first, rss_all, paged


def main():
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    service, s = start_service()
    try:
        small = [timed_list(s, s["STS3_TEST_BUCKET"], ["--limit", "1"])[0] for _ in range(RUNS)]
        big = [timed_list(s, "sts3-big", ["--limit", "1"])[0] for _ in range(RUNS)]
        full_time, out, full_rss, full_cpu = timed_list(s, "sts3-big", [])
        assert out.endswith(f"No. of Objects = {BIG}\n"), out[-200:]
        first_screen, idle_cpu, rss_first, rss_all, paged = tui(s)
    finally:
        service.terminate()
        service.wait()
    seeded = s["STS3_TEST_SEEDED_KEYS"]
    rows = [
        ("time to first page, demo bucket", f"{seeded} keys", f"{statistics.median(small) * 1000:.0f} ms (median of {RUNS})"),
        ("time to first page, big bucket", f"{BIG} keys", f"{statistics.median(big) * 1000:.0f} ms (median of {RUNS})"),
        ("`sts3 list`, whole big bucket", f"{BIG} keys", f"{full_time:.2f} s, {BIG / full_time:,.0f} keys/s, {full_cpu:.2f} s CPU"),
        ("`sts3 list` peak memory (streams pages)", f"{BIG} keys", f"{full_rss / 1024:.1f} MiB"),
        ("TUI: launch to first listing on screen", f"{BIG} keys", f"{first_screen * 1000:.0f} ms"),
        ("TUI: idle CPU (countdown ticking)", "10 s sample", f"{idle_cpu:.2f} %"),
        ("TUI: memory with one page loaded", "1000 keys", f"{rss_first / 1024:.1f} MiB"),
        ("TUI: paging in every key with `G`", f"{BIG} keys", f"{paged:.1f} s"),
        ("TUI: memory with every key loaded", f"{BIG} keys", f"{rss_all / 1024:.1f} MiB ({(rss_all - rss_first) * 1024 / max(BIG - 1000, 1):.0f} bytes/key)"),
    ]
    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True).stdout.strip()
    lines = [
        "# Benchmarks",
        "",
        f"Written by `scripts/bench` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: release build, "
        f"local SeaweedFS on loopback, {os.cpu_count()} cores ({cpu}).",
        "",
        "| what | size | result |",
        "|---|---|---|",
        *[f"| {a} | {b} | {c} |" for a, b, c in rows],
        "",
    ]
    os.makedirs(os.path.join(ROOT, "bench"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "RESULTS.md"), "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
