"""A notice addressed to on-call people: who the e-mail is To and Cc, and what chat and PagerDuty name."""

from __future__ import annotations

from datetime import UTC, datetime

from escalation_kit.notify import EmailTarget, PagerDutyTarget, load_notify_policy
from escalation_kit.notify.deliver import Watch, addressed
from escalation_kit.notify.notices import Notice
from escalation_kit.notify.targets import message
from escalation_kit.oncall import load_schedule

AT = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)


def notice(kind: str = "tier_raised", tier: int = 3, level: int = 0) -> Notice:
    return Notice(escalation_id="ESC-2026-0007", key=f"ESC-2026-0007:notice:3:{kind}", kind=kind, at=AT,
                  severity="P1", tier=tier, title="Checkout slow", message="raised", next_step="brief them",
                  level=level)


def watch(schedule=True) -> Watch:
    return Watch(tracker=None, targets=[], policy=load_notify_policy(), schedule=load_schedule() if schedule else None)


def test_a_notice_is_addressed_by_its_kind_tier_and_level_at_sending_time():
    got = addressed(watch(), notice("exec_level_raised", tier=4, level=3), AT)
    assert [h.role for h in got.recipients] == ["director", "vp", "executive", "support_manager"]
    assert addressed(watch(schedule=False), notice(), AT).recipients == ()


def test_the_pagerduty_resolve_is_never_addressed():
    resolve = notice(kind="pagerduty_resolve")
    assert addressed(watch(), resolve, AT) is resolve


def test_email_goes_to_the_people_on_call_with_the_configured_list_as_copy():
    item = addressed(watch(), notice(), AT)
    target = EmailTarget("127.0.0.1", 25, "watch@example.com", ["team@example.com", "jon@example.com"])
    to, cc = target.envelope(item)
    # Jon is both the CSM and the support manager on call that week: one address, and not copied again.
    assert [h.role for h in item.recipients] == ["engineering_lead", "csm", "support_manager"]
    assert to == ["gosia@example.com", "jon@example.com"] and cc == ["team@example.com"]
    msg = target.compose(item)
    assert msg["To"] == ", ".join(to) and msg["Cc"] == "team@example.com"
    assert target.envelope(notice()) == (["team@example.com", "jon@example.com"], [])  # no schedule: as before


def test_chat_text_and_pagerduty_details_name_them():
    item = addressed(watch(), notice(), AT)
    assert "For: Engineering Lead " in message(item) and "; Support Manager Jon Park. Next:" in message(item)
    body = PagerDutyTarget("k" * 32, load_notify_policy()).body(item)
    assert body["payload"]["custom_details"]["recipients"][-1] == "Support Manager: Jon Park <jon@example.com>"
    assert "recipients" not in PagerDutyTarget("k" * 32, load_notify_policy()).body(notice())["payload"][
        "custom_details"]


def test_the_shipped_recipients_policy_covers_every_notice_kind_watch_sends():
    from escalation_kit.notify.policy import NOTICE_KINDS

    assert set(load_schedule().notices) == set(NOTICE_KINDS)
