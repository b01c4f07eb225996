"""``escalation-kit eval run SUITE``: re-grade recordings offline, or run the model live / in batches.

Exit codes: 0 every case passed; 1 some cases failed; 2 usage error; 3 harness error
(API or MCP failure, unreadable recording); 4 regression against ``--baseline``.
"""

from __future__ import annotations

import argparse
import os
import sys

EXIT_PASS, EXIT_FAIL, EXIT_USAGE, EXIT_HARNESS, EXIT_REGRESSION = 0, 1, 2, 3, 4
DEFAULT_MODEL = "claude-sonnet-4-5"


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("eval", help="run eval suites (offline re-grading, live or batch model runs)",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="eval_command", metavar="ACTION")
    r = sub.add_parser("run", help="run a suite and write JSON, JUnit, Markdown and HTML reports")
    r.add_argument("suite", help="suite name under evals/suites, or a folder with cases.yaml / cases.jsonl")
    r.add_argument("--live", action="store_true", help="run the model through the Anthropic API with the MCP server")
    r.add_argument("--batch", action="store_true", help="like --live, but each round goes through Message Batches")
    r.add_argument("--trials", type=int, default=1, metavar="K", help="trials per case (live); reports pass^k")
    r.add_argument("--concurrency", type=int, default=4, metavar="N", help="cases in flight at once (live)")
    r.add_argument("--model", default=os.environ.get("ESCALATION_KIT_EVAL_MODEL", DEFAULT_MODEL))
    r.add_argument("--base-url", default=None, help="Messages API base URL (default: ANTHROPIC_BASE_URL or the SDK's)")
    r.add_argument("--max-turns", type=int, default=8, help="model turns per case before giving up")
    r.add_argument("--batch-poll", type=float, default=15.0, metavar="SECONDS",
                   help="how often to poll a Message Batch for completion (--batch)")
    r.add_argument("--cache-dir", default=".eval-cache", help="response cache folder (live)")
    r.add_argument("--no-cache", action="store_true", help="do not read or write the response cache")
    r.add_argument("--judge", action="store_true", help="also ask the model to judge each contract item")
    r.add_argument("--baseline", metavar="REPORT", help="report.json (or its folder) to compare against")
    r.add_argument("--alpha", type=float, default=0.05, help="significance level for --baseline")
    r.add_argument("--case", action="append", default=[], metavar="ID", help="only these case ids (repeatable)")
    r.add_argument("--out", default="eval-reports", help="folder for reports and live transcripts")
    r.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar on stderr (default: when stderr is a terminal)")
    r.set_defaults(func=run)
    ls = sub.add_parser("list", help="list the suites shipped in evals/suites, with case counts")
    ls.set_defaults(func=list_suites)
    p.set_defaults(func=lambda args: (p.print_help(sys.stderr), EXIT_USAGE)[1])


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from escalation_kit.errors import InputError
    from escalation_kit.evals.progress import ProgressBar
    from escalation_kit.evals.report import write_reports
    from escalation_kit.evals.suite import load_suite

    if args.trials < 1 or args.concurrency < 1:
        raise InputError("trials/concurrency", "must be at least 1")
    suite = load_suite(args.suite)
    if args.case:
        unknown = sorted(set(args.case) - {c.id for c in suite.cases})
        if unknown:
            raise InputError("case", f"unknown case ids {unknown}", [c.id for c in suite.cases])
        suite.cases = [c for c in suite.cases if c.id in args.case]
    out = Path(args.out)
    bar = ProgressBar(f"eval {suite.name}", force=bool(args.progress)) if args.progress is not False else None
    if args.live or args.batch:
        from escalation_kit.evals.live.conversation import LiveOptions
        from escalation_kit.evals.live.run import run_live_suite

        opts = LiveOptions(model=args.model, trials=args.trials, concurrency=args.concurrency,
                           base_url=args.base_url, max_turns=args.max_turns, batch=args.batch,
                           cache_dir=None if args.no_cache else Path(args.cache_dir),
                           transcripts_dir=out / "transcripts", judge=args.judge,
                           server_log=out / "mcp-server.log", batch_poll_s=args.batch_poll)
        report = run_live_suite(suite, opts, progress=bar)
    else:
        from escalation_kit.evals.runner import run_offline

        report = run_offline(suite, progress=bar)
    if args.baseline:
        from escalation_kit.evals.compare import compare, load_baseline

        report.comparison = compare(report, load_baseline(args.baseline), alpha=args.alpha)
    paths = write_reports(report, out)
    tot = report.totals()
    for err in report.harness_errors:
        print(f"escalation-kit: harness error: {err}", file=sys.stderr)
    print(f"{suite.name}: {tot['passed']}/{tot['cases']} passed, {tot['failed']} failed, "
          f"{tot['errored'] + len(report.harness_errors)} errors; reports in {paths['html'].parent}")
    return exit_code(report)


def list_suites(args: argparse.Namespace) -> int:
    from escalation_kit.evals.suite import list_suites as names
    from escalation_kit.evals.suite import load_suite

    for name in names():
        suite = load_suite(name)
        recs = sum(len(c.recordings) for c in suite.cases)
        skills = sorted({c.skill for c in suite.cases})
        print(f"{name}: {len(suite.cases)} cases, {recs} recordings, skills: {', '.join(skills)}")
    return EXIT_PASS


def exit_code(report) -> int:
    """Harness errors first (the numbers are not trustworthy), then regression, then failures."""
    if report.harness_errors or any(c.errored for c in report.cases):
        return EXIT_HARNESS
    if report.comparison and report.comparison["regression"]:
        return EXIT_REGRESSION
    return EXIT_PASS if all(c.passed for c in report.cases) else EXIT_FAIL
