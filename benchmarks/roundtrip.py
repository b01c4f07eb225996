"""Per-call round trip of each tool over stdio against a bare echo tool (target ratio <= 1.10).

Both servers run at once; calls alternate between them so noise hits both alike. Each row also
breaks the gap down: the core function's own time in-process, the size of the structured result
(bytes of compact JSON and the estimated tokens a host pays to show it to a model),
and what the SDK client's jsonschema check of that result costs (it re-validates every result
against the tool's output schema, and the echo's result is one string), beside what it would cost
against the schema's top level only, and against other forms of the same schema (the client picks its
validator class by ``$schema``; ``format`` is an annotation there): each value costs the check the same
~4 µs whatever the form, so a simpler equivalent schema is no way to a cheaper check. With ``--raw`` the client
is a bare newline-JSON-RPC pipe with no SDK code, so the figure is what the server itself adds. With
BEFORE=<old checkout>/server that checkout's server runs too, its calls interleaved with ours and the
echo's, so before and after come from the same run (its breakdown shows its own result and check). Each row
also gives the CPU time a call costs, the server process's (all its threads, from /proc schedstat) plus this
client's (its thread time around the call), and that CPU ratio against the echo's: on a loaded machine the
wall-clock medians wait for a core, CPU time much less. Usage:
    [BEFORE=/path/to/old/server] python benchmarks/roundtrip.py [CALLS_PER_TOOL] [--raw] [--only TOOL,TOOL]
    python benchmarks/roundtrip.py --sizes   # values, bytes and tokens of the vendor and SLA answers per detail
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import anyio

from _stdio import BARE, OURS, summary
from escalation_kit.vocab import SEVERITIES
from mcp import Client, StdioServerParameters

CALLS = {
    "detect_language": {"text": "у нас упал prod, RDS не отвечает, latency 5s"},
    "classify_severity": {"text": "Production checkout is down for all users in cn-hangzhou, no workaround"},
    "pick_vendor_support_path": {"vendor": "aws", "severity": "P1"},
    "compute_sla_deadlines": {"severity": "P1", "opened_at": "2026-02-13T17:30:00+08:00",
                              "target": {"minutes": 240, "clock": "business", "timezone": "Asia/Shanghai",
                                         "calendar": "CN"}},
    "format_escalation_brief": {"facts": {"summary": "Checkout down", "severity": "P0",
                                          "description": "Checkout returns 502 for all users since 09:10."},
                                "language": "en"},
}


LAST: dict[tuple[str, str], dict] = {}  # (server, tool) -> the tool's last structured result, as the client got it


def servers() -> dict[str, StdioServerParameters]:
    """Our server, and with BEFORE=<old checkout>/server that checkout's, by label."""
    found = {"ours": OURS}
    if os.environ.get("BEFORE"):
        found["before"] = StdioServerParameters(command=OURS.command, args=OURS.args,
                                                env={"PYTHONPATH": os.environ["BEFORE"]})
    return found


def rotated(labels: list[str], turn: int) -> list[str]:
    """``labels`` rotated by ``turn``: each server in turn goes first."""
    shift = turn % len(labels)
    return labels[shift:] + labels[:shift]


CLIENT_CPU: dict[str, float] = {}  # label -> this process's CPU seconds spent in that server's calls


def server_cpu_s(pid: int) -> float:
    """CPU seconds a process has run, all threads, at nanosecond resolution (Linux schedstat)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        total += int((task / "schedstat").read_text().split()[0])
    return total / 1e9


def children() -> dict[str, int]:
    """This process's server children by label: 'echo' (bare_server.py), 'before' (BEFORE on PYTHONPATH), 'ours'."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) != os.getpid():
                continue
            cmdline = (stat.parent / "cmdline").read_bytes()
            environ = (stat.parent / "environ").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        before = os.environ.get("BEFORE")
        label = ("echo" if b"bare_server.py" in cmdline else
                 "before" if before and f"PYTHONPATH={before}".encode() in environ else "ours")
        found[label] = int(stat.parent.name)
    return found


def cpu_per_call(label: str, server_s: float, n: int) -> tuple[float, float]:
    """(server, client) CPU microseconds per call for ``label``'s batch of ``n`` calls."""
    return server_s / n * 1e6, CLIENT_CPU.pop(label, 0.0) / n * 1e6


def cpu_line(server_us: float, client_us: float, echo_us: float | None = None) -> str:
    """'cpu/call: server + client = total us', with the ratio to the echo's total when given."""
    total = server_us + client_us
    ratio = f"  cpu ratio {total / echo_us:.3f}" if echo_us else ""
    return f"cpu/call: server {server_us:5.0f} + client {client_us:5.0f} = {total:5.0f} us{ratio}"


async def timed(client: Client, name: str, args: dict, label: str = "ours") -> float:
    start, cpu = time.perf_counter(), time.thread_time()
    result = await client.call_tool(name, args)
    elapsed = (time.perf_counter() - start) * 1000
    CLIENT_CPU[label] = CLIENT_CPU.get(label, 0.0) + time.thread_time() - cpu
    if result.is_error:
        raise SystemExit(f"{name} failed: {result.content}")
    LAST[label, name] = result.structured_content or {}
    return elapsed


def _median_us(fn: Callable[[], object], n: int) -> float:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e6)
    return statistics.median(samples)


def breakdown(name: str, args: dict, schema: dict, n: int, label: str = "ours") -> str:
    """Core time, published result size and client-side validation time for one tool, measured in this process
    (the core is this checkout's; the result and schema are those the labelled server sent). The check is
    the SDK client's: the validator class ``validator_for`` picks, an empty registry, ``best_match`` of the
    errors; the same check runs against other forms of the schema."""
    from escalation_kit.mcp import server as mcp_server

    core = getattr(mcp_server, "CORE_FUNCTIONS", {}).get(name) if label == "ours" else None
    call = (lambda: core(**args)) if core else None
    result = LAST.get((label, name), {})
    core_us = _median_us(call, n) if call else float("nan")
    check_us = _check_us(schema, result, n)
    top_us = _check_us(one_level(schema), result, n)
    from escalation_kit.skillpack.pack import estimate_tokens

    text = json.dumps(result, ensure_ascii=False, separators=(",", ":"))
    size, tokens = len(text.encode()), estimate_tokens(text)
    forms = "  ".join(f"{form} {_check_us(make(schema), result, n):4.0f}" for form, make in SCHEMA_FORMS.items())
    if label == "ours":  # the schema the SDK derives before our compaction: titles, anyOf nulls, $defs and $ref
        forms += f"  the SDK's own {_check_us(sdk_schema(name), result, n):4.0f}"
    return (f"core {core_us:7.0f} us  result {size:5d} B (~{tokens:4d} tokens)  client check {check_us:6.0f} us"
            f"  (a top-level-only schema: {top_us:4.0f} us)\n{'':26s} same check, other forms of the schema (us): "
            f"{forms}")


def _check_us(schema: dict, result: dict, n: int) -> float:
    """Median microseconds of the SDK client's check of ``result`` against ``schema`` (compiled once, as it does)."""
    from jsonschema.exceptions import best_match
    from jsonschema.validators import validator_for
    from referencing import Registry

    validator = validator_for(schema)(schema, registry=Registry())
    if best_match(validator.iter_errors(result)) is not None:
        return float("nan")  # a form that rejects the real result is no equivalent
    return _median_us(lambda: best_match(validator.iter_errors(result)), n)


def _properties_safe(node: object, keys: frozenset[str]) -> object:
    """``node`` without the keywords in ``keys``; the names under ``properties`` are property names, kept."""
    if isinstance(node, list):
        return [_properties_safe(item, keys) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            out[key] = {name: _properties_safe(sub, keys) for name, sub in value.items()}
        elif key not in keys:
            out[key] = _properties_safe(value, keys)
    return out


def sdk_schema(name: str) -> dict:
    """The output schema ``Tool.from_function`` derives for one of our tools, before ``mcp.schema`` compacts it."""
    from mcp.server.mcpserver.tools import Tool

    from escalation_kit.mcp import tools

    tools.load_types(name)
    return Tool.from_function(getattr(tools, name)).output_schema or {}


# Equivalent forms of a published output schema (each accepts what it accepts: ``format`` only annotates in
# these drafts, and our schemas use no keyword whose meaning differs between them).
SCHEMA_FORMS = {
    "draft-04": lambda s: {"$schema": "http://json-schema.org/draft-04/schema#", **s},
    "draft-07": lambda s: {"$schema": "http://json-schema.org/draft-07/schema#", **s},
    "no format": lambda s: _properties_safe(s, frozenset({"format"})),
}


def one_level(schema: dict) -> dict:
    """The output schema cut to its top level (each property's type; nested values typed only), to show what
    the client's check would cost if the schema described less (the results would be unchanged)."""
    def typed(node: dict) -> dict:
        if "anyOf" in node:
            return {"anyOf": [{"type": sub.get("type", "object")} for sub in node["anyOf"]]}
        return {key: value for key, value in node.items() if key not in ("properties", "items", "required")}

    return {**{k: v for k, v in schema.items() if k != "properties"},
            "properties": {name: typed(sub) for name, sub in schema.get("properties", {}).items()}}


async def main(n: int) -> None:
    from contextlib import AsyncExitStack

    async with AsyncExitStack() as stack:
        bare = await stack.enter_async_context(Client(BARE, mode="legacy"))
        clients = {label: await stack.enter_async_context(Client(params, mode="legacy"))
                   for label, params in servers().items()}
        schemas = {label: {t.name: t.output_schema for t in (await client.list_tools()).tools}
                   for label, client in clients.items()}
        for name, args in CALLS.items():  # warm-up: first calls load data and templates
            for label, client in clients.items():
                await timed(client, name, args, label)
        await timed(bare, "echo", {"text": "warm"})
        await anyio.sleep(1.0)  # let the servers' background warm-up finish: its CPU is not a call's
        worst = 0.0
        pids = children()
        for name, args in CALLS.items():
            mine: dict[str, list[float]] = {label: [] for label in clients}
            base: list[float] = []
            CLIENT_CPU.clear()
            cpu = {label: server_cpu_s(pid) for label, pid in pids.items()}
            for turn in range(n):  # the order rotates, so no server always follows the same one
                for label in rotated([*clients, "echo"], turn):
                    if label == "echo":
                        base.append(await timed(bare, "echo", {"text": args.get("text", "x")}, "echo"))
                    else:
                        mine[label].append(await timed(clients[label], name, args, label))
            cpu = {label: server_cpu_s(pid) - cpu[label] for label, pid in pids.items()}
            echo = cpu_per_call("echo", cpu.get("echo", 0.0), n)
            print(f"{'echo':26s} {cpu_line(*echo).replace('cpu/call', 'cpu/call of the echo')}")
            for label in clients:
                ratio = statistics.median(mine[label]) / statistics.median(base)
                worst = max(worst, ratio) if label == "ours" else worst
                tag = name if label == "ours" else f"  before ({name})"
                print(f"{tag:26s} {summary(mine[label])}  echo {summary(base)}  ratio {ratio:.3f}")
                print(f"{'':26s} {cpu_line(*cpu_per_call(label, cpu.get(label, 0.0), n), sum(echo))}")
                print(f"{'':26s} {breakdown(name, args, schemas[label][name], n, label)}")
    print(f"worst per-call ratio: {worst:.3f}  target <= 1.10  {'OK' if worst <= 1.10 else 'OVER'}")


class RawPipe:
    """A newline-JSON-RPC client on a spawned server's stdin/stdout (no SDK, no validation)."""

    def __init__(self, params) -> None:
        self.proc = subprocess.Popen([params.command, *params.args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.ask("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                "clientInfo": {"name": "bench", "version": "1"}})
        self.proc.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')

    def ask(self, method: str, params: dict) -> dict:
        self.next_id += 1
        line = json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()
        while True:
            reply = json.loads(self.proc.stdout.readline())
            if reply.get("id") == self.next_id:
                return reply

    def call_ms(self, name: str, args: dict) -> float:
        start = time.perf_counter()
        reply = self.ask("tools/call", {"name": name, "arguments": args})
        elapsed = (time.perf_counter() - start) * 1000
        if "error" in reply or reply["result"].get("isError"):
            raise SystemExit(f"{name} failed: {str(reply)[:300]}")
        return elapsed

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def raw_main(n: int) -> None:
    pipes = {label: RawPipe(params) for label, params in servers().items()}
    bare = RawPipe(BARE)
    try:
        for name, args in CALLS.items():
            for pipe in pipes.values():
                pipe.call_ms(name, args)
        time.sleep(1.0)  # let the servers' background warm-up finish: its CPU is not a call's
        worst = 0.0
        for name, args in CALLS.items():
            mine: dict[str, list[float]] = {label: [] for label in pipes}
            base = []
            every = {**pipes, "echo": bare}
            cpu = {label: server_cpu_s(pipe.proc.pid) for label, pipe in every.items()}
            for turn in range(n):
                for label in rotated([*pipes, "echo"], turn):
                    if label == "echo":
                        base.append(bare.call_ms("echo", {"text": args.get("text", "x")}))
                    else:
                        mine[label].append(pipes[label].call_ms(name, args))
            cpu = {label: (server_cpu_s(pipe.proc.pid) - cpu[label]) / n * 1e6 for label, pipe in every.items()}
            for label in pipes:
                ratio = statistics.median(mine[label]) / statistics.median(base)
                worst = max(worst, ratio) if label == "ours" else worst
                tag = name if label == "ours" else f"  before ({name})"
                print(f"{tag:26s} {summary(mine[label])}  echo {summary(base)}  ratio {ratio:.3f}")
                print(f"{'':26s} server cpu/call {cpu[label]:5.0f} us, echo {cpu['echo']:5.0f} us"
                      f"  cpu ratio {cpu[label] / cpu['echo']:.3f}")
        print(f"worst per-call ratio (raw client): {worst:.3f}  target <= 1.10  {'OK' if worst <= 1.10 else 'OVER'}")
    finally:
        for pipe in (*pipes.values(), bare):
            pipe.close()


def values(node: object) -> int:
    """JSON values in a result, containers included: what the client's jsonschema check descends into."""
    if isinstance(node, dict):
        return 1 + sum(values(v) for v in node.values())
    if isinstance(node, list):
        return 1 + sum(values(v) for v in node)
    return 1


def size_calls() -> list[tuple[str, dict]]:
    """The vendor and SLA calls ``--sizes`` measures: every vendor at each level on its default plan, and the SLA
    clock for each vendor at P1 with ``now``, on the internal default and on an explicit business-hours target."""
    from escalation_kit.vendors.ids import vendor_ids

    opened, now = "2026-02-13T17:30:00+08:00", "2026-02-13T18:10:00+08:00"
    calls = [("pick_vendor_support_path", {"vendor": v, "severity": s}) for v in vendor_ids() for s in SEVERITIES]
    calls += [("compute_sla_deadlines", {"severity": "P1", "opened_at": opened, "vendor": v, "now": now,
                                         "timezone": "Asia/Shanghai"}) for v in vendor_ids()]
    calls += [("compute_sla_deadlines", {"severity": s, "opened_at": opened, "now": now}) for s in SEVERITIES]
    calls += [("compute_sla_deadlines", {**CALLS.get("compute_sla_deadlines", {}), "severity": s})
              for s in SEVERITIES]
    return calls


async def sizes() -> None:
    """Values, bytes and estimated tokens of the vendor and SLA answers in each size (in-process server)."""
    from escalation_kit.mcp.server import build_server
    from escalation_kit.skillpack.pack import estimate_tokens

    rows: dict[tuple[str, str], list[tuple[int, int, int]]] = {}
    async with Client(build_server()) as client:
        for name, args in size_calls():
            for detail in ("compact", "summary", "full"):
                result = await client.call_tool(name, {**args, "detail": detail})
                if result.is_error:
                    raise SystemExit(f"{name} {args} failed: {result.content}")
                text = json.dumps(result.structured_content, ensure_ascii=False, separators=(",", ":"))
                rows.setdefault((name, detail), []).append(
                    (values(result.structured_content), len(text.encode()), estimate_tokens(text)))
    print("median (min-max) per answer; tokens estimated offline (skillpack.estimate_tokens: ~4 ASCII characters,"
          " 2.5 Cyrillic or 1 CJK a token)")
    for (name, detail), got in rows.items():
        cols = []
        for i, unit in enumerate(("values", "B", "tokens")):
            col = [row[i] for row in got]
            cols.append(f"{statistics.median(col):6.0f} ({min(col)}-{max(col)}) {unit}")
        print(f"{name:26s} {detail:8s} n={len(got):3d}  " + "  ".join(cols))


def only(argv: list[str]) -> None:
    """Keep just the tools ``--only a,b`` names (the echo still runs beside each)."""
    if "--only" in argv:
        keep = set(argv[argv.index("--only") + 1].split(","))
        unknown = keep - set(CALLS)
        if unknown:
            raise SystemExit(f"--only: unknown tool(s) {', '.join(sorted(unknown))}; known: {', '.join(CALLS)}")
        for name in [n for n in CALLS if n not in keep]:
            del CALLS[name]


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 200
    only(sys.argv)
    if "--sizes" in sys.argv:
        anyio.run(sizes)
    elif "--raw" in sys.argv:
        raw_main(count)
    else:
        anyio.run(main, count)
