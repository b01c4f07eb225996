"""First call of each tool in a fresh server (target <= 20 ms each), against a bare echo tool's first call.

For each round and each tool a new server process is spawned, initialized and asked for tools/list;
only then is the one tool called and timed, so start-up is excluded and lazy loading is included.
A raw newline-JSON-RPC client is used so no client-side validation is timed. IDLE_MS is how long
the client waits after tools/list before the call (0: the worst case; a host's model usually thinks
for a second or more, which the server's background warm-up uses). With BEFORE=<old checkout>/server that
checkout's server is measured too, its fresh servers alternating with ours, for a same-run before/after. TOOLS
(comma-separated) measures only those tools, e.g. a call that lands while the warm-up loads its tool
(``5 40 classify_severity``). Usage:
    [BEFORE=/path/to/old/server] python benchmarks/first_call.py [ROUNDS] [IDLE_MS] [TOOLS]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

from _stdio import BARE, OURS

CALLS = {
    "detect_language": {"text": "База данных недоступна, пользователи не могут войти"},
    "classify_severity": {"text": "Production database down, all customers cannot check out"},
    "pick_vendor_support_path": {"vendor": "aws", "severity": "P1"},
    "compute_sla_deadlines": {"severity": "P1", "opened_at": "2026-03-06T10:00:00+08:00", "vendor": "alibaba-cn",
                              "timezone": "Asia/Shanghai", "calendar": "CN"},
    "format_escalation_brief": {"facts": {"summary": "Checkout down", "severity": "P1",
                                          "description": "All EU users get 500 on checkout since 09:40 UTC"}},
}
INIT = {"jsonrpc": "2.0", "id": 0, "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                   "clientInfo": {"name": "bench", "version": "1"}}}


def first_call_ms(command: list[str], tool: str, args: dict, idle_s: float = 0.0, env: dict | None = None) -> float:
    """Spawn, handshake, list tools, wait ``idle_s`` (a host's think time), then time one tools/call."""
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=env)
    assert proc.stdin and proc.stdout

    def ask(message: dict) -> dict:
        proc.stdin.write((json.dumps(message) + "\n").encode())
        proc.stdin.flush()
        while True:
            reply = json.loads(proc.stdout.readline())
            if reply.get("id") == message["id"]:
                return reply

    try:
        ask(INIT)
        proc.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
        ask({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
        time.sleep(idle_s)
        start = time.perf_counter()
        reply = ask({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": tool, "arguments": args}})
        elapsed = (time.perf_counter() - start) * 1000
        if reply.get("result", {}).get("isError") or "error" in reply:
            raise RuntimeError(f"{tool} failed: {str(reply)[:300]}")
        return elapsed
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)


def main(rounds: int, idle_s: float, only: list[str] | None = None) -> None:
    ours = [OURS.command, *OURS.args]
    calls = {tool: args for tool, args in CALLS.items() if not only or tool in only}
    bare = [BARE.command, *BARE.args]
    for tool, args in CALLS.items():  # warm the file cache and build the snapshots a machine's first run writes
        first_call_ms(ours, tool, args)
    echo = [first_call_ms(bare, "echo", {"text": "hello"}, idle_s) for _ in range(rounds)]
    print(f"first call {idle_s * 1000:.0f} ms after tools/list; {rounds} fresh servers per tool")
    print(f"{'bare echo':26} median {statistics.median(echo):7.1f} ms")
    before = {**os.environ, "PYTHONPATH": os.environ["BEFORE"]} if os.environ.get("BEFORE") else None
    if before:
        for tool, args in calls.items():
            first_call_ms(ours, tool, args, env=before)
    worst = 0.0
    for tool, args in calls.items():
        samples, old = [], []
        for _ in range(rounds):  # ours and the old checkout's fresh servers alternate
            samples.append(first_call_ms(ours, tool, args, idle_s))
            if before:
                old.append(first_call_ms(ours, tool, args, idle_s, env=before))
        median = statistics.median(samples)
        worst = max(worst, median)
        print(f"{tool:26} median {median:7.1f} ms  max {max(samples):7.1f} ms  "
              f"({median / statistics.median(echo):5.1f}x echo)  {'OK' if median <= 20 else 'OVER'}")
        if old:
            print(f"{'  before':26} median {statistics.median(old):7.1f} ms  max {max(old):7.1f} ms")
    print(f"slowest first call: {worst:.1f} ms  target <= 20 ms  {'OK' if worst <= 20 else 'OVER'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5, float(sys.argv[2]) / 1000 if len(sys.argv) > 2 else 0.0,
         sys.argv[3].split(",") if len(sys.argv) > 3 else None)
