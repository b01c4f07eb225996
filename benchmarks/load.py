"""Noisy neighbour over HTTP: small-call p95 while another client posts huge requests (target <= 2x idle).

One ``escalation-kit serve --transport http`` process. Ten client threads call classify_severity over
keep-alive connections; their p95 is measured idle, then while a separate process posts ~4 MiB
``detect_language`` bodies (refused at the size cap), then while it posts bodies just under the cap
(parsed, then refused by the maxLength check), then with the largest accepted texts (20,000 characters,
run in the worker pool). Usage:
    python benchmarks/load.py [CALLS_PER_CLIENT]
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import threading
import time

CLIENTS = 10
ROUNDS = 3
SMALL = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
         "params": {"name": "classify_severity", "arguments": {"text": "Checkout is down for all EU users in prod"}}}
HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream",
           "MCP-Protocol-Version": "2025-11-25"}


def body_of(text_chars: int, total_bytes: int | None = None) -> bytes:
    text = "word " * (text_chars // 5)
    if total_bytes is not None:
        text = "x" * (total_bytes - 200)
    return json.dumps({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                       "params": {"name": "detect_language", "arguments": {"text": text}}}).encode()


def start_server() -> tuple[subprocess.Popen, int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "escalation_kit", "serve", "--transport", "http", "--port",
                             str(port)], stderr=subprocess.DEVNULL)
    for _ in range(300):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc, port
        time.sleep(0.1)
    raise RuntimeError("server did not start")


def small_client(port: int, calls: int, out: list[float]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    payload = json.dumps(SMALL).encode()
    for _ in range(calls):
        start = time.perf_counter()
        conn.request("POST", "/mcp", body=payload, headers=HEADERS)
        response = conn.getresponse()
        response.read()
        out.append((time.perf_counter() - start) * 1000)
        assert response.status == 200
    conn.close()


def heavy_client(port: int, body: bytes, stop: multiprocessing.synchronize.Event, counts: dict) -> None:
    """Post ``body`` back to back until told to stop (a new connection after each refusal)."""
    sent = statuses = 0
    while not stop.is_set():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request("POST", "/mcp", body=body, headers=HEADERS)
            conn.getresponse().read()
            statuses += 1
        except (OSError, http.client.HTTPException):
            pass  # the server may close the connection while a refused body is still being sent
        finally:
            conn.close()
        sent += 1
    counts["sent"] = sent
    counts["answered"] = statuses


def p95_under(port: int, calls: int, heavy: bytes | None) -> tuple[float, float, int]:
    """p50 and p95 of the small clients' calls, with the heavy sender running if given; and its count."""
    stop = multiprocessing.Event()
    counts = multiprocessing.Manager().dict()
    sender = None
    if heavy is not None:
        sender = multiprocessing.Process(target=heavy_client, args=(port, heavy, stop, counts))
        sender.start()
        time.sleep(0.3)
    samples: list[float] = []
    threads = [threading.Thread(target=small_client, args=(port, calls, samples)) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    if sender is not None:
        sender.join(timeout=60)
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95)], counts.get("sent", 0)


def main(calls: int) -> None:
    proc, port = start_server()
    try:
        p95_under(port, 20, None)  # warm-up: first calls load data
        cases = [("idle", None), ("4 MiB bodies (over the cap)", body_of(0, 4 * 1024 * 1024)),
                 ("1 MiB - 1 KiB bodies (under the cap)", body_of(0, 1024 * 1024 - 1024)),
                 ("20,000-character texts (accepted)", body_of(20_000))]
        results: dict[str, list[tuple[float, float, int]]] = {label: [] for label, _ in cases}
        for _ in range(ROUNDS):  # rotate the cases so machine noise hits them alike
            for label, heavy in cases:
                results[label].append(p95_under(port, calls, heavy))
        idle_p95 = statistics.median(r[1] for r in results["idle"])
        for label, heavy in cases:
            p50 = statistics.median(r[0] for r in results[label])
            p95 = statistics.median(r[1] for r in results[label])
            sent = sum(r[2] for r in results[label])
            ratio = p95 / idle_p95
            verdict = "" if heavy is None else f"ratio {ratio:4.2f}  target <= 2.0  {'OK' if ratio <= 2 else 'OVER'}"
            print(f"{label:38} small-call p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  heavy sent {sent:4}  {verdict}")
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    print(f"({CLIENTS} clients x {calls} calls, median of {ROUNDS} rotated rounds; {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
