"""``escalation-kit brief KIND --facts FILE``: render one escalation document from a shell, as the MCP tool does.

The facts are a JSON object (a file, or '-' for stdin); the document goes through ``escalation_kit.tools``,
the same renderer as the ``format_escalation_brief`` tool, so a de-escalation notice carries the policy's
decision here too. Bad facts are refused with the field named and exit code 2.
"""

from __future__ import annotations

import argparse
from typing import Any

from escalation_kit.cli._values import json_object, read_limited
from escalation_kit.vocab import DOC_KINDS, LANGUAGE_CHOICES

EXAMPLE = ("echo '{\"summary\": \"Checkout down\", \"severity\": \"P0\"}' | "
           "escalation-kit brief post_mortem --facts - --language ru")
MAX_FACTS_BYTES = 1_000_000  # a document's facts; the renderer caps free text far below this


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("brief", help="render one escalation document (brief, handoff, notice, post-mortem...)",
                       description="Render one document kind from a JSON object of facts, in en, ru or zh, "
                       "with secrets and personal data masked (the MCP tool format_escalation_brief).",
                       epilog=f"kinds: {', '.join(DOC_KINDS)}\nexample: {EXAMPLE}",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=DOC_KINDS, metavar="KIND", help="document kind (listed below)")
    p.add_argument("--facts", required=True, help="JSON file with the facts; '-' reads them from stdin")
    p.add_argument("--language", choices=LANGUAGE_CHOICES, default="auto",
                   help="language of the document (default: the facts' language)")
    p.add_argument("--tz", help="IANA time zone for times (default: the offset of the facts' first time)")
    p.add_argument("--no-redact", action="store_true", help="keep secrets and personal data as written")
    p.add_argument("--json", action="store_true", help="print the whole result (redactions, unknown facts) as JSON")
    p.set_defaults(func=run)


def read_facts(source: str) -> dict[str, Any]:
    """The facts object from a file or stdin, refused by name when it is not one readable JSON object."""
    return json_object(read_limited(source, "--facts", MAX_FACTS_BYTES), "--facts")


def run(args: argparse.Namespace) -> int:
    from escalation_kit.tools import format_escalation_brief

    result = format_escalation_brief(read_facts(args.facts), kind=args.kind, language=args.language,
                                     timezone=args.tz, redact=not args.no_redact)
    print(result.model_dump_json(indent=2) if args.json else result.markdown, end="" if not args.json else "\n")
    return 0
