"""``escalation-kit grade --skill NAME FILE``: grade one Markdown answer against a skill's contract.

Exit 0 when every required item passes, 1 when any fails, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json

from escalation_kit.vocab import LANGS


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "grade",
        help="grade a Markdown answer against a skill's response-minimum contract",
        description="Grade one answer (Markdown file, or - for stdin) against the skill's contract. "
        "Exit 0: every required item passes; 1: some fail; 2: usage error.",
    )
    p.add_argument("--skill", required=True, help="skill name, e.g. incident-triage")
    p.add_argument("file", help="answer file (Markdown), a transcript (.jsonl: also checks the answer against its "
                   "tool results), or - for stdin")
    p.add_argument("--language", choices=LANGS, help="also require the answer to be in this language")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)


MAX_ANSWER_CHARS = 5_000_000  # an answer or a recorded transcript (the shipped ones are well under 1 MB)


def _read(path: str) -> str:
    from escalation_kit.cli._values import read_limited

    return read_limited(path, "file", MAX_ANSWER_CHARS)


def run(args: argparse.Namespace) -> int:
    from escalation_kit.evals.grader import grade_answer

    text = _read(args.file)
    if args.file.endswith(".jsonl"):
        from escalation_kit.evals.grounding import grounding_checks
        from escalation_kit.evals.transcript import Transcript
        from escalation_kit.skillpack.contracts import load_contract

        transcript = Transcript.from_jsonl(text, source=args.file)
        result = grade_answer(transcript.answer, args.skill, language=args.language)
        result.add_checks(grounding_checks(transcript.answer, transcript, load_contract(args.skill)))
    else:
        result = grade_answer(text, args.skill, language=args.language)
    if args.json:
        print(json.dumps(result.model_dump(), ensure_ascii=False, indent=2))
    else:
        print(_human(result))
    return 0 if result.passed else 1


def _human(result) -> str:
    lines = [f"{result.skill}: {'PASS' if result.passed else 'FAIL'}"]
    for it in result.items:
        mark = "ok  " if it.passed else ("FAIL" if it.required else "warn")
        lines.append(f"  {mark} {it.id:<20} {it.evidence or it.reason}"[:200])
        if not it.passed and it.reason and it.evidence:
            lines.append(f"       {it.reason}")
    for c in result.checks:
        lines.append(f"  {'ok  ' if c.passed else 'FAIL'} check:{c.id:<14} {c.detail}")
    return "\n".join(lines)
