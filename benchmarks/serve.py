"""`drafter serve` under load: preview latency, memory after many previews, start time.

    python benchmarks/serve.py [--previews 10000] [--quick]

Starts `python -m drafter serve` on a free loopback port in a folder holding the example
form (a separate process, as an office would run it) and measures:

* start time: from launching the process to the home page answering;
* preview latency, p50 and p95, for 1 writer and for 20 writers at once; each simulated
  writer sends a preview of the example form with one character changed, waits for it, then
  pauses about (±50%, starting at random) 1 s (a writer typing Chinese, whose input method commits a word or phrase about
  every second; the page previews 250 ms after the last change) and, as a worst case, 250 ms
  (every writer committing four times a second without stop);
* the server's RSS after a warm-up of 200 previews and after --previews more (growth %).

Every phase is bounded in count and in time (a phase stops at its time limit and says so).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "configs" / "review-commentary.example.yaml"
PAUSES_S = (1.0, 0.25)  # typing pace, and the page's own delay as a worst case
PHASE_LIMIT_S = 120.0


class Client:
    """One writer's keep-alive connection to the server."""

    def __init__(self, port: int, csrf: str, data: dict[str, Any]) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.csrf = csrf
        self.data = json.loads(json.dumps(data))

    def preview(self, number: int) -> float:
        """Send one preview (the title changed by one character); its latency in seconds."""
        self.data["title"] = f"在述职评议会议上的点评讲话{number % 10}"
        body = json.dumps({"name": "example.yaml", "data": self.data}).encode("utf-8")
        headers = {"Content-Type": "application/json", "X-Drafter-Csrf": self.csrf}
        start = time.perf_counter()
        self.connection.request("POST", "/api/preview", body, headers)
        response = self.connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200 or b'"html": null' in payload:
            raise RuntimeError(f"preview failed: {response.status} {payload[:200]!r}")
        return elapsed


def start_server(folder: Path) -> tuple[subprocess.Popen[str], int, float]:
    """Launch the server; its process, port, and seconds until the home page answered."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "drafter", "serve", str(folder), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
    )
    assert process.stdout is not None
    port = 0
    for line in process.stdout:
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if found:
            port = int(found.group(1))
            break
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/")
    connection.getresponse().read()
    return process, port, time.perf_counter() - start


def csrf_and_data(port: int) -> tuple[str, dict[str, Any]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/")
    page = connection.getresponse().read().decode("utf-8")
    csrf = re.search(r'name="drafter-csrf" content="([^"]+)"', page)
    assert csrf
    connection.request("GET", "/api/form?name=example.yaml")
    opened = json.loads(connection.getresponse().read())
    return csrf.group(1), opened["data"]


def writers(
    port: int, csrf: str, data: dict[str, Any], count: int, each: int, pause: float
) -> list[float]:
    """`count` writers sending `each` previews `pause` seconds apart; every latency."""
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + PHASE_LIMIT_S

    def write() -> None:
        client = Client(port, csrf, data)
        jitter = random.Random()
        time.sleep(jitter.uniform(0, pause))  # writers do not start in step
        for number in range(each):
            if time.monotonic() > deadline:
                return
            took = client.preview(number)
            with lock:
                latencies.append(took)
            time.sleep(jitter.uniform(0.5, 1.5) * pause)

    threads = [threading.Thread(target=write) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def flood(port: int, csrf: str, data: dict[str, Any], total: int) -> int:
    """`total` previews from 4 connections back to back (no pause); how many were sent."""
    sent = 0
    lock = threading.Lock()
    deadline = time.monotonic() + 10 * PHASE_LIMIT_S

    def send() -> None:
        nonlocal sent
        client = Client(port, csrf, data)
        while time.monotonic() < deadline:
            with lock:
                if sent >= total:
                    return
                sent += 1
                number = sent
            client.preview(number)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sent


def rss(pid: int) -> int:
    import psutil

    return int(psutil.Process(pid).memory_info().rss)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--previews", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="fewer previews everywhere")
    args = parser.parse_args()
    total = 500 if args.quick else args.previews
    each = 10 if args.quick else 30
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        (folder / "example.yaml").write_bytes(EXAMPLE.read_bytes())
        starts = []
        for _ in range(3):
            process, port, took = start_server(folder)
            starts.append(took)
            process.terminate()
            process.wait()
        process, port, _ = start_server(folder)
        try:
            csrf, data = csrf_and_data(port)
            writers(port, csrf, data, 1, 20, 0)  # warm the caches
            latencies = {
                (count, pause): writers(port, csrf, data, count, each, pause)
                for pause in PAUSES_S
                for count in (1, 20)
            }
            flood(port, csrf, data, 200)
            before = rss(process.pid)
            sent = flood(port, csrf, data, total)
            after = rss(process.pid)
        finally:
            process.terminate()
            process.wait()
    print(f"server start (median of 3): {statistics.median(starts) * 1000:.0f} ms")
    for (count, pause), values in latencies.items():
        print(
            f"preview latency, {count} writer(s) {pause:g} s apart ({len(values)} previews): "
            f"p50 {percentile(values, 0.5) * 1000:.0f} ms, p95 {percentile(values, 0.95) * 1000:.0f} ms"
        )
    growth = (after - before) / before * 100
    print(
        f"RSS after 200 previews {before / 2**20:.1f} MiB, after {sent} more "
        f"{after / 2**20:.1f} MiB: growth {growth:+.1f}%"
    )


if __name__ == "__main__":
    main()
