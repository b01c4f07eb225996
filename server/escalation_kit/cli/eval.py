"""``escalation-kit eval run SUITE``: re-grade recordings offline, or run the model live / in batches.

Exit codes: 0 every case passed; 1 some cases failed; 2 usage error; 3 harness error
(API or MCP failure, unreadable recording); 4 regression against ``--baseline``; 130 interrupted
(Ctrl-C: the transcripts so far and a partial report are written first).

Other actions: ``eval build SUITE`` regenerates a suite's transcripts from its source with the
project's engines (``--check`` only reports drift); ``eval view REPORT`` writes a static HTML page
with every case's conversation, tool calls and verdicts; ``eval record SUITE CASE`` runs one case
live and saves its transcript into the suite, labelled for review.
"""

from __future__ import annotations

import argparse
import os
import sys

EXIT_PASS, EXIT_FAIL, EXIT_USAGE, EXIT_HARNESS, EXIT_REGRESSION, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
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
    r.add_argument("--judge", action="store_true", help="also ask a judge model to score each contract item (live)")
    r.add_argument("--judge-model", default=os.environ.get("ESCALATION_KIT_JUDGE_MODEL"),
                   help="judge model (default: a different model from --model, see DEFAULT_JUDGE_MODEL)")
    r.add_argument("--baseline", metavar="REPORT", help="report.json (or its folder) to compare against")
    r.add_argument("--alpha", type=float, default=0.05, help="significance level for --baseline")
    r.add_argument("--case", action="append", default=[], metavar="ID", help="only these case ids (repeatable)")
    r.add_argument("--out", default="eval-reports", help="folder for reports and live transcripts")
    r.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar on stderr (default: when stderr is a terminal)")
    r.set_defaults(func=run)
    ls = sub.add_parser("list", help="list the suites shipped in evals/suites, with case counts")
    ls.set_defaults(func=list_suites)
    b = sub.add_parser("build", help="rebuild a suite's transcripts from source.yaml with the project's engines")
    b.add_argument("suite", help="suite name under evals/suites, or its folder")
    b.add_argument("--check", action="store_true", help="only report drift between recorded and fresh tool results")
    b.set_defaults(func=build)
    v = sub.add_parser("view", help="write a static HTML page with every case's transcript and verdicts")
    v.add_argument("report", help="report.json (or the folder holding it)")
    v.add_argument("--out", default=None, help="HTML file to write (default: view.html beside the report)")
    v.set_defaults(func=view)
    cal = sub.add_parser("calibrate", help="agreement (accuracy, Cohen's kappa) of the grader with the labelled set")
    cal.add_argument("--suite", default="gold", help="labelled suite (default gold, plus its perturbations)")
    cal.add_argument("--json", action="store_true", help="print the figures as JSON")
    cal.add_argument("--judge", action="store_true", help="also measure the LLM judge (calls the Messages API)")
    cal.add_argument("--judge-model", default=os.environ.get("ESCALATION_KIT_JUDGE_MODEL"))
    cal.add_argument("--base-url", default=None, help="Messages API base URL")
    cal.add_argument("--cache-dir", default=".eval-cache", help="judge response cache (replays cost nothing)")
    cal.add_argument("--limit", type=int, default=None, help="only the first N labelled answers")
    cal.add_argument("--write", action="store_true",
                     help="record the judge figures in evals/grading/judge_calibration.yaml (read by the gate)")
    cal.set_defaults(func=calibrate)
    rec = sub.add_parser("record", help="run one case live and save its transcript into the suite (for review)")
    rec.add_argument("suite", help="suite name under evals/suites, or its folder")
    rec.add_argument("case", help="case id")
    rec.add_argument("--model", default=os.environ.get("ESCALATION_KIT_EVAL_MODEL", DEFAULT_MODEL))
    rec.add_argument("--base-url", default=None, help="Messages API base URL")
    rec.add_argument("--max-turns", type=int, default=8)
    rec.set_defaults(func=record)
    p.set_defaults(func=lambda args: (p.print_help(sys.stderr), EXIT_USAGE)[1])


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from escalation_kit.errors import InputError
    from escalation_kit.evals.progress import ProgressBar
    from escalation_kit.evals.report import write_reports
    from escalation_kit.evals.suite import load_suite

    if args.trials < 1 or args.concurrency < 1:
        raise InputError("trials/concurrency", "must be at least 1")
    if not (args.live or args.batch):
        for flag, on in (("--judge", args.judge), ("--trials", args.trials != 1), ("--concurrency", False)):
            if on:
                print(f"escalation-kit: note: {flag} does nothing offline (recordings are re-graded, not re-run); "
                      "add --live or --batch", file=sys.stderr)
    suite = load_suite(args.suite)
    if args.case:
        unknown = sorted(set(args.case) - {c.id for c in suite.cases})
        if unknown:
            raise InputError("case", f"unknown case ids {unknown}", [c.id for c in suite.cases])
        suite.cases = [c for c in suite.cases if c.id in args.case]
    out = Path(args.out)
    bar = ProgressBar(f"eval {suite.name}", force=bool(args.progress)) if args.progress is not False else None
    if args.live or args.batch:
        from escalation_kit.evals.live.conversation import DEFAULT_JUDGE_MODEL, LiveOptions
        from escalation_kit.evals.live.run import run_live_suite

        judge_model = args.judge_model or (DEFAULT_JUDGE_MODEL if args.model != DEFAULT_JUDGE_MODEL else DEFAULT_MODEL)
        opts = LiveOptions(model=args.model, trials=args.trials, concurrency=args.concurrency, judge_model=judge_model,
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
        if report.comparison["paired_cases"] == 0 and not report.interrupted:
            raise InputError("baseline", f"{args.baseline} has no case in common with suite {suite.name!r}; "
                             "a comparison with nothing would pass silently")
    paths = write_reports(report, out)
    tot = report.totals()
    for err in report.harness_errors:
        print(f"escalation-kit: harness error: {err}", file=sys.stderr)
    case_errors = {c.id.split("/")[0] for c in report.cases if c.errored}
    other = [e for e in report.harness_errors if not any(e.startswith(cid) for cid in case_errors)
             and not e.startswith("interrupted")]
    print(f"{suite.name}: {tot['passed']}/{tot['cases']} passed, {tot['failed']} failed, "
          f"{tot['errored'] + len(other)} errors{' (interrupted, partial)' if report.interrupted else ''}; "
          f"reports in {paths['html'].parent}")
    return EXIT_INTERRUPTED if report.interrupted else exit_code(report)


def build(args: argparse.Namespace) -> int:
    """Regenerate a suite from its source (tool results from the engines), or only check it for drift."""
    from escalation_kit.evals.build import build_suite, drift, source_folder

    folder = source_folder(args.suite)
    if args.check:
        problems = drift(folder)
        for p in problems:
            print(p)
        print(f"{folder.name}: {len(problems)} drifted tool result(s)")
        return EXIT_PASS if not problems else EXIT_FAIL
    cases, recs = build_suite(folder)
    print(f"{folder.name}: {cases} cases, {recs} recordings built from the engines into {folder}")
    return EXIT_PASS


def view(args: argparse.Namespace) -> int:
    """Write the static transcript viewer for a report."""
    from pathlib import Path

    from escalation_kit.evals.view import write_view

    path = write_view(Path(args.report), Path(args.out) if args.out else None)
    print(f"open {path}")
    return EXIT_PASS


def calibrate(args: argparse.Namespace) -> int:
    """Print the deterministic grader's agreement with the labels, per language."""
    import json

    from escalation_kit.evals.calibration import deterministic_agreement

    figures, rows = deterministic_agreement(args.suite)
    if args.judge:
        from pathlib import Path

        from escalation_kit.evals.calibration import judge_agreement
        from escalation_kit.evals.live.conversation import DEFAULT_JUDGE_MODEL, LiveOptions

        opts = LiveOptions(model=DEFAULT_MODEL, judge_model=args.judge_model or DEFAULT_JUDGE_MODEL,
                           base_url=args.base_url, cache_dir=Path(args.cache_dir))
        figures[f"judge {opts.judge_model}"] = judge_agreement(opts, args.limit, args.write)
    if args.json:
        print(json.dumps(figures, indent=2))
        return EXIT_PASS
    print("| set | language | n | accuracy | Cohen's kappa | false pass | false fail |")
    print("|---|---|---|---|---|---|---|")
    for name, per in figures.items():
        for lang, f in per.items():
            kappa = "n/a (one class)" if f["kappa"] is None else f"{f['kappa']:.3f}"
            print(f"| {name} | {lang} | {f['n']} | {f['accuracy']:.3f} | {kappa} | {f['false_pass']} | "
                  f"{f['false_fail']} |")
    wrong = [f"{lab.id} (label {'pass' if lab.label else 'fail'})" for lab, verdict in rows if lab.label != verdict]
    if wrong:
        print("\ndisagreements: " + ", ".join(wrong))
    _print_skipped(args.suite)
    return EXIT_PASS


def _print_skipped(suite: str) -> None:
    """The perturbations not made because the good answer had no clean section (or no stated deadline) for them."""
    from escalation_kit.evals.calibration import skipped_perturbations

    skipped = skipped_perturbations(suite)
    if skipped:
        print(f"\nperturbations skipped: {len(skipped)}: " + ", ".join(f"{k} ({why})" for k, why in skipped.items()))


def record(args: argparse.Namespace) -> int:
    """Run one case live and save the transcript into the suite as a recording to review."""
    from escalation_kit.evals.record import record_case

    path, passed = record_case(args.suite, args.case, model=args.model, base_url=args.base_url,
                               max_turns=args.max_turns)
    print(f"recorded {path} (grader: {'pass' if passed else 'fail'}); review it and set its label in cases.yaml")
    return EXIT_PASS


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
