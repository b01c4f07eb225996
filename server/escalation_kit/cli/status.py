"""``escalation-kit status VENDOR [--region R] [--product P] [--json]``: read the vendor's public status feed.

Exit 0 when a feed was read (whatever it showed), 1 when it could not be read or the vendor has no
public feed (the answer then says "not verified" and why), 2 for bad input such as an unknown vendor.
The feeds' scheme and host can be replaced with --base-url or $ESCALATION_KIT_STATUS_BASE_URL
(tests serve feeds on 127.0.0.1).
"""

from __future__ import annotations

import argparse
import os
import sys

EXAMPLE = "escalation-kit status cloudflare --region FRA --json"
NOT_VERIFIED = 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("status", help="read a cloud vendor's public status feed (what the status page shows)",
                       description="Read the vendor's public machine-readable status feed and say what it shows, "
                       "when, from which URL, and whether the region or product you name is in a current incident. "
                       "A feed that cannot be read is reported as not verified (exit 1), never as fine.",
                       epilog=f"Example: {EXAMPLE}")
    p.add_argument("vendor", metavar="VENDOR", help="vendor id: aws, azure, gcp, alibaba-cn, alibaba-intl, oci, "
                   "tencent, huawei, yandex, cloudflare")
    p.add_argument("--region", metavar="R", help="a region or location to look for, e.g. us-east-1, West Europe")
    p.add_argument("--product", metavar="P", help="a product or service to look for, e.g. ec2, Cloud SQL")
    p.add_argument("--timeout", type=float, metavar="S", help="seconds for each feed (default: the policy's)")
    p.add_argument("--base-url", metavar="URL", help="replace the feeds' scheme and host "
                   "(default: $ESCALATION_KIT_STATUS_BASE_URL, else the vendor's own)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from escalation_kit.statuspages import BASE_URL_ENV, check_status

    base = args.base_url or os.environ.get(BASE_URL_ENV) or None
    result = check_status(args.vendor, args.region, args.product, base_url=base, timeout=args.timeout)
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        print(result.summary)
        for inc in result.incidents:
            where = ", ".join(inc.regions + [c for c in inc.components if c not in inc.regions])
            print(f"  - {inc.title}" + (f" [{inc.status}]" if inc.status else "") + (f" ({where})" if where else "")
                  + (f" {inc.link}" if inc.link else ""))
        if not result.verified:
            for attempt in result.attempts:
                if attempt.error and attempt.failure != "no_feed":
                    print(f"  tried {attempt.error}", file=sys.stderr)
    return 0 if result.verified else NOT_VERIFIED
