"""``escalation-kit skills build|validate|stats``: package, check and measure the skill pack."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from escalation_kit.skillpack import pack as skillpack


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("skills", help="build, validate and measure the Agent Skills",
                       description="Work with the skill pack in skills/.")
    actions = p.add_subparsers(dest="skills_action", metavar="ACTION", required=True)

    b = actions.add_parser("build", help="write one self-contained zip per skill")
    b.add_argument("--out", type=Path, default=Path("dist/skills"), help="output folder (default dist/skills)")
    b.add_argument("names", nargs="*", help="skills to build (default: all)")
    b.set_defaults(func=run_build)

    v = actions.add_parser("validate", help="run the Agent Skills validator and the contract checks")
    v.add_argument("names", nargs="*", help="skills to check (default: all)")
    v.add_argument("--json", action="store_true", help="print the results as JSON")
    v.set_defaults(func=run_validate)

    s = actions.add_parser("stats", help="token budget of descriptions, bodies and the MCP tools list")
    s.add_argument("--json", action="store_true", help="print the figures as JSON")
    s.add_argument("--check", action="store_true", help="exit 1 when a budget is exceeded")
    s.set_defaults(func=run_stats)


def _names(requested: list[str]) -> list[str]:
    from escalation_kit.errors import InputError

    known = skillpack.list_skills()
    for name in requested:
        if name not in known:
            raise InputError("skill", f"no skill named {name!r}", known)
    return requested or known


def run_build(args: argparse.Namespace) -> int:
    for name in _names(args.names):
        problems = skillpack.structure_problems(skillpack.load_skill(name))
        if problems:
            print(f"{name}: not built: " + "; ".join(problems), file=sys.stderr)
            return 1
        path = skillpack.build_zip(name, args.out)
        print(f"{name}: {path} ({path.stat().st_size} bytes)")
    return 0


SPEC_VALIDATOR_MISSING = ("skills-ref is not installed, so only this kit's own rules ran; "
                          "pip install skills-ref for the reference Agent Skills validator")


def run_validate(args: argparse.Namespace) -> int:
    results = [skillpack.validate_one(name) for name in _names(args.names)]
    if not all(r["spec_validator"] for r in results):
        print(f"escalation-kit: warning: {SPEC_VALIDATOR_MISSING}", file=sys.stderr)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for res in results:
            problems = [f"{kind}: {p}" for kind in ("spec", "structure", "contract") for p in res[kind]]
            print(f"{res['skill']}: {'ok' if res['valid'] else 'INVALID'}")
            for line in problems:
                print(f"  - {line}")
    return 0 if all(r["valid"] for r in results) else 1


def run_stats(args: argparse.Namespace) -> int:
    from escalation_kit.mcp.stats import TOOLS_TOKEN_BUDGET, TRACKER_TOKEN_BUDGET, tools_list_stats

    rows = [skillpack.skill_stats(name) for name in skillpack.list_skills()]
    tools = tools_list_stats()
    over = [r["skill"] for r in rows if r["body_tokens"] > skillpack.BODY_TOKEN_BUDGET
            or r["description_chars"] > skillpack.MAX_DESCRIPTION_CHARS]
    pure = tools.get("pure_tokens", 0)
    tools_over = pure > TOOLS_TOKEN_BUDGET or tools.get("tokens", 0) - pure > TRACKER_TOKEN_BUDGET
    if args.json:
        print(json.dumps({"skills": rows, "tools_list": tools, "over_budget": over,
                          "tools_over_budget": tools_over}, indent=2))
    else:
        _print_table(rows, tools)
    return 1 if args.check and (over or tools_over) else 0


def _print_table(rows: list[dict[str, Any]], tools: dict[str, Any]) -> None:
    print("Token estimates (about 4 ASCII / 2.5 Cyrillic / 1 CJK character per token; +-25 %)")
    print(f"{'skill':24} {'desc chars':>10} {'desc tok':>8} {'body lines':>10} {'body tok':>8} {'refs tok':>8}")
    for r in rows:
        print(f"{r['skill']:24} {r['description_chars']:>10} {r['description_tokens']:>8} "
              f"{r['body_lines']:>10} {r['body_tokens']:>8} {r['reference_tokens']:>8}")
    total_desc = sum(r["description_tokens"] for r in rows)
    print(f"{'all descriptions (always loaded)':44} {total_desc:>8}")
    if "skipped" in tools:
        print(f"tools/list: skipped - {tools['skipped']}")
    else:
        state = "within" if tools["tokens"] <= tools["budget"] else "OVER"
        print(f"tools/list: {tools['tools']} tools, {tools['chars']} chars, ~{tools['tokens']} tokens "
              f"({state} the {tools['budget']}-token budget)")
        for t in tools["per_tool"]:
            print(f"  {t['name']:28} ~{t['tokens']:>5} tokens (input schema {t['input_schema_tokens']}, "
                  f"output schema {t['output_schema_tokens']})")
