# ruff: noqa: E501  (the answer lines are prose; wrapping them would change what is graded)
"""The calibration's synthetic defects are cut along the sections the grader reads as contract items.

Before, the generator cut at every bold or numbered line, so a 'swap' exchanged fragments mixing several items
and 'filler' landed above content that stayed in the section. Each test reads the perturbed answer back with
the grader's own parser and checks that whole item bodies moved, and that a kind with no clean section is skipped.
"""

from __future__ import annotations

import pytest

from escalation_kit.evals.calibration import perturb, skipped_perturbations
from escalation_kit.evals.grader import item_text, read_items
from escalation_kit.evals.perturbations import FILLER, perturbations
from escalation_kit.skillpack.contracts import load_contract

TRIAGE = load_contract("incident-triage")

# Bodies hold bold and numbered lines that are not items (the old generator cut sections there).
ANSWER = """# Checkout down

## Classification and impact
P1: checkout fails for 40 % of EU users since 09:10 UTC.
**Scope:** eu-west-1 only.

## Status page
1. AWS: no event posted at 09:30 UTC on the dashboard.
2. Re-check at 09:45.

## Evidence checklist
- ALB 5xx graph 09:00-09:30
- **Deploy log:** release 4.2 at 09:05

## Escalation path and SLA
Open an AWS case at Urgent now; first response due 10:10 UTC.

## War room and communication
Bridge in #inc-checkout; next customer update at 10:10 UTC.

## Open questions
- Was release 4.2 rolled to every region?
"""


def _bodies(text: str) -> dict[str, list[str]]:
    """Item id -> every body the grader reads for it."""
    secs, owner = read_items(text, TRIAGE)
    out: dict[str, list[str]] = {}
    for i, item in enumerate(owner):
        if item is not None:
            out.setdefault(item, []).append(item_text(secs, owner, i))
    return out


def test_swapped_bodies_exchange_two_whole_item_bodies() -> None:
    before = _bodies(ANSWER)
    after = _bodies(perturb(ANSWER, "en", None, "incident-triage")["swapped-bodies"])
    assert after["status_page"] == before["evidence"] and after["evidence"] == before["status_page"]
    assert "Re-check at 09:45" in after["evidence"][0] and "release 4.2 at 09:05" in after["status_page"][0]
    assert {k: v for k, v in after.items() if k not in ("status_page", "evidence")} == {
        k: v for k, v in before.items() if k not in ("status_page", "evidence")}


def test_filler_replaces_the_whole_body_and_dropping_removes_the_whole_section() -> None:
    before = _bodies(ANSWER)
    made = perturb(ANSWER, "en", None, "incident-triage")
    filled = _bodies(made["filler-body"])
    assert filled.pop("escalation_sla") == [FILLER["en"]]
    assert filled == {k: v for k, v in before.items() if k != "escalation_sla"}
    dropped = made["dropped-section"]
    assert "Evidence checklist" not in dropped and "ALB 5xx" not in dropped and "Deploy log" not in dropped
    assert _bodies(dropped) == {k: v for k, v in before.items() if k != "evidence"}


def test_run_in_labels_swap_their_content_after_the_label() -> None:
    answer = ("**Severity:** P1, checkout failing for EU users since 09:10 UTC.\n"
              "**Status page:** AWS Health Dashboard shows no event at 09:30 UTC.\n"
              "**Evidence:** ALB 5xx graph and the deploy log of release 4.2.\n"
              "**Escalation path:** AWS case at Urgent, first response by 10:10 UTC.\n")
    swapped = perturb(answer, "en", None, "incident-triage")["swapped-bodies"]
    assert "**Status page:** ALB 5xx graph and the deploy log of release 4.2." in swapped
    assert "**Evidence:** AWS Health Dashboard shows no event at 09:30 UTC." in swapped


def test_a_kind_with_no_clean_section_is_skipped_with_the_reason() -> None:
    table = ("| Item | Detail |\n|---|---|\n| Severity | P1, EU checkout failing since 09:10 UTC |\n"
             "| Status page | no event posted at 09:30 UTC |\n")
    got = perturbations(table, "en", None, TRIAGE)
    assert got.made == {} and set(got.skipped) == {"dropped-section", "filler-body", "swapped-bodies", "deadline-moved"}
    assert "0 usable" in got.skipped["swapped-bodies"]
    # one item in two sections is never used (the other section would still answer it), so one usable is left
    twice = "## Evidence\nALB 5xx graph 09:00-09:30.\n\n## Status page\nNo event at 09:30 UTC.\n\n## Evidence\nDeploy log of release 4.2.\n"
    got = perturbations(twice, "en", "10:10", TRIAGE)
    assert set(got.made) == {"dropped-section", "filler-body"} and "1 usable" in got.skipped["swapped-bodies"]
    assert "deadline-moved" in got.skipped


def test_the_gold_table_answer_is_skipped_and_reported() -> None:
    skipped = skipped_perturbations("gold")
    assert {k for k in skipped if k.startswith("gold-it-en.table~")} == {
        "gold-it-en.table~dropped-section", "gold-it-en.table~filler-body", "gold-it-en.table~swapped-bodies"}


def test_calibrate_reports_how_many_perturbations_were_skipped(capsys: pytest.CaptureFixture[str]) -> None:
    from escalation_kit.cli.main import main

    assert main(["eval", "calibrate", "--suite", "gold"]) == 0
    out = capsys.readouterr().out
    assert "perturbations skipped: 3: gold-it-en.table~dropped-section (0 usable item section(s), 1 needed)" in out


def test_a_symptom_is_no_reproduction() -> None:
    """Whole-body swaps put an issue description under 'Reproduction steps', and it passed on a symptom word:
    'users cannot sign in', 无法登录, 'not intermittent', 'the payment step'. Only words about reproducing count."""
    from escalation_kit.evals.grader import grade_answer

    def repro(body: str) -> bool:
        return grade_answer(f"## Reproduction steps\n{body}\n", "escalation-brief").item("reproduction").passed

    assert not repro("Since 14:05 ET checkout returns HTTP 503; shoppers cannot pay. The error is constant, not intermittent.")
    assert not repro("Starting around 23:10 the payment step of checkout returns HTTP 502 for every order in the region.")
    assert not repro("凌晨 1:00 左右 RDS 实例开始完全不可用，所有用户无法登录 App，所有订单提交失败。")
    assert not repro("С 10:00 МСК не удалось войти ни одному пользователю; заказы не проходят, ошибка 502.")
    assert repro("We could not reproduce it on staging; it happens only for the customer's tenant nw-4471.")
    assert repro("Не удалось воспроизвести на тестовом стенде: он работает через песочницу платежного шлюза.")
    assert repro("该问题为一次性误操作导致的数据丢失，不适合复现；现状：下单提交失败。")
    assert repro("Steps: open the store, add an item, pay with a test card; the order page never loads.")


def test_a_timeline_needs_two_times_or_dates() -> None:
    """Whole-body swaps put a coordinator's impact bullets under 'Escalation timeline', and they passed on their one
    onset time ('nobody can sign in since 21:30 UTC'). A chronology gives two or more times or dates."""
    from escalation_kit.evals.grader import grade_answer

    def timeline(body: str) -> bool:
        return grade_answer(f"## Escalation timeline\n{body}\n", "escalation-coordinator").item("timeline").passed

    assert not timeline("- **Who:** every customer of the portal; nobody can sign in since 21:30 UTC (40 min so far).")
    assert not timeline("- **Кто:** все посетители сайта с 22:05 МСК, простой 35 минут, 99,9 % SLA под угрозой.")
    assert not timeline("- 页面加载 20-30 s，约 20% 的订单查询返回旧数据，影响 VIP 客户的分析团队。")
    assert timeline("- 21:30 logins start failing\n- 22:10 escalation opened, P0")
    assert timeline("- Mon 30 Nov — slowness starts\n- Tue 1 Dec — ticket opened, no fix\n- now — escalated")
    assert timeline("- 12 月 2 日：客户按示例调试失败\n- 12-03 上午：客户发现参数名错误")
    assert timeline("- 21.11 — релиз\n- 23.11 — регрессия перед релизом")


def test_a_first_response_named_with_a_hyphen_or_after_the_time_is_checked_against_the_due() -> None:
    """Moved deadlines passed on another tool time (the first update): 'First-response deadline: 16:35 CST' was not
    read as a first response (hyphen), nor 'by 11:10 UTC (first-response deadline)' (the note after the time),
    nor 首响. A first response must be the tool's first-response due."""
    from escalation_kit.evals.build import engine_transcript
    from escalation_kit.evals.grounding import check_deadlines

    sla = {"severity": "P1", "opened_at": "2026-11-17T09:10:00+00:00", "timezone": "UTC",
           "first_response_due": "2026-11-17T10:10:00+00:00", "updates": [{"kind": "customer_update",
                                                                          "at": "2026-11-17T11:10:00+00:00"}]}
    calls = [("classify_severity", {"text": "x"}, {"severity": "P1"}), ("compute_sla_deadlines", {}, sla)]

    def status(answer: str) -> str:
        return check_deadlines(answer, engine_transcript("t", "incident-triage", "en", "x", answer, calls))[0].status

    assert status("- First-response deadline: **10:10 UTC**.\n- Next update 11:10 UTC.\n") == "pass"
    assert status("- First-response deadline: **11:10 UTC**.\n") == "fail"
    assert status("- Engineer on our bridge by 10:10 UTC (first-response deadline).\n") == "pass"
    assert status("- Engineer on our bridge by 11:10 UTC (first-response deadline).\n") == "fail"
    assert status("- 首响截止 11:10 UTC。\n") == "fail"
    assert status("- Next customer update by 11:10 UTC (every 2 h).\n") == "pass"
