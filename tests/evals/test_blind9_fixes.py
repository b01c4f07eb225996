# ruff: noqa: E501  (the answer lines are prose; wrapping them would change what is graded)
"""The disagreement classes the ninth blind set (evals/suites/blind9, stop 23) showed, one test each.

The blind set is graded by ``escalation-kit eval calibrate --suite blind9``; these tests pin the mechanisms with
lines written for them, against small tool results built here, and (where a rule reads a whole answer's shape) on
the suite's own labelled answers.
"""

from __future__ import annotations

from typing import Any

from escalation_kit.evals.grounding import assigned_level
from grading_support import deadline as _deadline
from grading_support import graded as _graded
from grading_support import sla_calls as _sla


def test_a_level_a_condition_or_a_would_lower_names_is_not_the_one_assigned() -> None:
    """'**P2 — частичное влияние.** … Повысить до P1 стоит, если …' assigned P1 (the 'до' before it), '**P1 - major
    degradation** … Would lower to P2: a working fallback' assigned P2, and "I am **not** using the tool's P2" assigned
    P2: a level whose next clause opens with a conditional word, one after 'would lower' and the tool's own are
    mentioned, not assigned."""
    assert assigned_level("**P2 — частичное влияние.** Так посчитал классификатор. Повысить до P1 стоит, если окажется, что была атака.")[0] == "P2"
    assert assigned_level("**P2 — частичное влияние.** Ядро работает. Поднимем до P1, если начнут падать заказы.")[0] == "P2"
    assert assigned_level("**P1 - major degradation**, no workaround yet.\n- Would lower to P2: a working fallback.\n")[0] == "P1"
    assert assigned_level("**P1 - major degradation.** What would lower it back to P2: the error rate under 5 %.")[0] == "P1"
    assert assigned_level("I am **not** using the tool's P2 here: data integrity is at risk → **P1**.")[0] == "P1"
    assert assigned_level("**P2**。目前仅部分用户受影响，升级到 P1，如果订单开始失败。")[0] == "P2"
    # a level the conditional clause does not govern stays assigned
    assert assigned_level("Severity: **P2**, if it spreads we go P1.")[0] == "P2"
    assert assigned_level("严重级别：P0，若干用户受影响。")[0] == "P0"


def _engine_calls(severity: str, sla: dict[str, Any], path: dict[str, Any]) -> list:
    """classify_severity at ``severity`` and the vendor-path and SLA calls at it, with the engines' real results."""
    from escalation_kit.sla.clock import compute_sla_deadlines
    from escalation_kit.vendors.path import pick_vendor_support_path

    path_in = {**path, "severity": severity}
    sla_in = {**sla, "severity": severity}
    return [("classify_severity", {"text": "x"}, {"severity": severity}),
            ("pick_vendor_support_path", path_in, pick_vendor_support_path(**path_in).model_dump(mode="json")),
            ("compute_sla_deadlines", sla_in, compute_sla_deadlines(**sla_in).model_dump(mode="json"))]


# AWS, opened Friday 23:15 ET: the tool's P2 is 'Production system impaired', 240 min (03:15); P1 'Production system
# down', 60 min (00:15).
AWS_NIGHT = ({"opened_at": "2026-11-27T23:15:00-05:00", "timezone": "America/New_York", "vendor": "aws"}, {"vendor": "aws"})
P1_OVER_P2 = ("**P1 — High.** Not the tool's P2: `classify_severity` returned P2, but we raise it because 37 tenants "
              "received empty invoice files and data integrity is at risk.\n\n")


def test_an_explained_override_is_grounded_in_what_the_tools_return_for_the_answer_s_level() -> None:
    """br-eb-en-1.p1-handover: P1 over the tool's P2 with a reason, 'Production system down … first response 60 min →
    00:15 EST'. The built transcript holds only the P2 calls; the SLA and vendor-path engines are re-run on the recorded
    arguments at the answer's level, and either level's values ground the deadline. The case to file is the one the
    answer's own level maps to: an override that still files the tool level's case fails (bq-it-en-1.case-level-mismatch).
    (Since stop 25 the tool itself reads P1 for this case, so on the suite the handover agrees with it; the override
    is checked on the constructed P2 transcripts below.)"""
    from escalation_kit.evals.build import engine_transcript
    from escalation_kit.evals.grounding import check_deadlines, check_vendor

    def grade(answer: str) -> tuple[str, str]:
        tr = engine_transcript("t", "incident-triage", "en", "invoice export writes empty files", answer,
                               _engine_calls("P2", *AWS_NIGHT))
        vendor = next(c for c in check_vendor(answer, tr) if c.id == "vendor_severity")
        return check_deadlines(answer, tr)[0].status, vendor.status

    p1 = P1_OVER_P2 + "- AWS case: **Production system down**, first response due **00:15 EST**.\n"
    assert grade(p1) == ("pass", "pass")
    assert grade(P1_OVER_P2 + "- AWS case: **Production system impaired**, first response due **03:15 EST**.\n") == ("pass", "fail")
    assert grade(p1.replace("00:15", "00:45")) == ("fail", "pass")
    # without a reason the override moves nothing: the tool's level values alone ground the answer
    bare = "**P1 — High.**\n\n- AWS case: **Production system down**, first response due **00:15 EST**.\n"
    assert grade(bare) == ("fail", "fail")
    # on the suite's own answers
    assert _graded("blind9", "br-eb-en-1.p1-handover").passed
    assert _graded("blind9", "bq-it-en-1.case-level-mismatch").failures() == ["check:vendor_severity"]


def test_the_plan_the_incident_names_is_the_plan_where_the_tool_assumed_one() -> None:
    """bq-it-zh-1: '我们是企业版支持', the tool assumed Business (Production system impacted, 30 min); the answer files
    Business critical, 15 min, due 21:57 — Enterprise's figures, as a model that passed plan= is told. A plan named
    with no plan word ('our enterprise customer') is no plan, and a wrong date on the right plan still fails."""
    from escalation_kit.evals.build import engine_transcript
    from escalation_kit.evals.grounding import _stated_plan, check_deadlines, check_vendor

    sla = {"opened_at": "2027-02-05T21:42:00+08:00", "timezone": "Asia/Shanghai", "calendar": "CN", "vendor": "tencent"}
    answer = "**P0。** 工单级别：**Business critical（业务关键）**，首次响应 15 分钟，**首次响应截止 21:57**。\n"

    def grade(incident: str, text: str = answer) -> tuple[str, str]:
        tr = engine_transcript("t", "incident-triage", "zh", incident, text, _engine_calls("P0", sla, {"vendor": "tencent"}))
        vendor = next(c for c in check_vendor(text, tr) if c.id == "vendor_severity")
        return check_deadlines(text, tr)[0].status, vendor.status

    assert grade("登录全部失败，所有用户都无法登录。我们是企业版支持。") == ("pass", "pass")
    assert grade("登录全部失败，所有用户都无法登录。") == ("fail", "fail")
    assert grade("登录全部失败。我们是企业版支持。", answer.replace("21:57", "22:57")) == ("fail", "pass")
    tr = engine_transcript("t", "incident-triage", "en", "Escalation from our enterprise customer: Cloudflare 525s.", "",
                           [])
    assert _stated_plan(tr, "cloudflare") is None
    tr = engine_transcript("t", "incident-triage", "en", "Kubectl times out. Support plan: Professional Direct.", "", [])
    assert _stated_plan(tr, "azure") == "professional-direct"


def test_no_second_reading_when_the_engines_no_longer_reproduce_the_recording() -> None:
    """A recording whose results the engines no longer give for its own arguments (a catalog changed since) is graded
    on what it recorded only: another level's recomputed values would mix two engines."""
    from escalation_kit.evals.build import engine_transcript
    from escalation_kit.evals.grounding import _alternatives

    calls = _engine_calls("P2", *AWS_NIGHT)
    tr = engine_transcript("t", "incident-triage", "en", "x", P1_OVER_P2, calls)
    assert [(why, level) for _, why, level in _alternatives(P1_OVER_P2, tr)] == [
        ("as the tools return it for the answer's level P1", "P1")]
    stale = calls[:2] + [(calls[2][0], calls[2][1], {**calls[2][2], "first_response_due": "2026-11-28T05:15:00-05:00"})]
    assert _alternatives(P1_OVER_P2, engine_transcript("t", "incident-triage", "en", "x", P1_OVER_P2, stale)) == []


def test_an_override_reason_wrapped_over_lines_is_one_sentence() -> None:
    """'I am raising the level above the tool: `classify_severity` returned\\n**P2** (…).\\nI disagree because …': a
    hard-wrapped paragraph cut the sentence naming the tool's level from its override words at the line break."""
    from escalation_kit.evals.grounding import _explained_override

    text = ("**P1 - major degradation.** I am raising the level above the tool: `classify_severity` returned\n"
            "**P2** (rule `B-degraded`). I disagree because about a third of ledger API requests fail with 503\n"
            "and card authorisations fail.\n")
    assert _explained_override(text, "P2", "P1")
    assert not _explained_override("- Tool: `classify_severity` returned\n- **P2** (rule `B-degraded`).\n", "P2", "P1")


# Opened 14:30 MSK: first response 18:30 (50 % at 16:30, 75 % at 17:30), first customer update 18:30.
MOSCOW = _sla("2026-06-12T14:30:00+03:00", "Europe/Moscow", "2026-06-12T18:30:00+03:00",
              updates=("2026-06-12T18:30:00+03:00", "2026-06-12T22:30:00+03:00"),
              triggers=("2026-06-12T16:30:00+03:00", "2026-06-12T17:30:00+03:00"))


def test_a_customer_or_war_room_update_sooner_than_the_tool_s_first_is_kept() -> None:
    """'> Dear … **Next update: 09:20 CEST**' (br-ec-en-1), '作战室 … 下次更新 22:00' (bq-it-zh-1): the tool's update times
    are the longest gap allowed; a sooner update to the customer or in the war room keeps a tighter cadence. A later
    one, or an internal stream's other time, is still checked."""
    due = "First response due **18:30 MSK**.\n"
    assert _deadline(due + "> Dear Anna, … **Next update: 16:00 MSK**, sooner if anything changes.\n", MOSCOW)[0] == "pass"
    assert _deadline(due + "| Обновление клиенту | Аккаунт-менеджер | 16:00 МСК |\n", MOSCOW, language="ru")[0] == "pass"
    assert _deadline(due + "- 作战室每 15–30 分钟同步一次状态，**下次更新 15:00**。\n", MOSCOW, language="zh")[0] == "pass"
    assert _deadline(due + "> Dear Anna, … **Next update: 19:00 MSK**.\n", MOSCOW)[0] == "fail"
    assert _deadline(due + "- 内部每 30 分钟更新一次，下次更新 **15:50**。\n", MOSCOW, language="zh")[0] == "fail"


def test_a_title_s_own_time_stamp_is_when_the_message_was_written() -> None:
    """'@全体 升级通报（10-01 00:05 北京时间）', 'Короткая эскалация в чат (02.01.2027, 03:15 МСК).': the first line's time in
    brackets or after a dash, between the opening and the first-response due, stamps the message; the same time
    elsewhere, or a title time past the due, is still checked."""
    body = "\nFirst response due **18:30 MSK**.\n"
    assert _deadline("Эскалация в чат дежурной разработки (12.06.2026, 14:35 МСК)." + body, MOSCOW)[0] == "pass"
    assert _deadline("【升级 @研发值班】OSS 上传偶发超时 — 14:40" + body, MOSCOW, language="zh")[0] == "pass"
    assert _deadline("Escalation update (19:10 MSK)" + body, MOSCOW)[0] == "fail"
    assert _deadline("Escalation status." + body + "- Escalate to the TAM (14:35 MSK).\n", MOSCOW)[0] == "fail"


def test_percent_marks_of_the_first_response_are_marks_not_its_due() -> None:
    """'| 5 | Первый ответ Cloudflare: 240 мин — 50 % в 16:30, 75 % в 17:30 | … | **18:30 МСК** |': 16:30 was read as the
    first-response due; a time after a percent mark is a mark (a tool time), and the row's due cell is the due."""
    row = "| 5 | Первый ответ Cloudflare: 240 мин — 50 % в 16:30, 75 % в 17:30 | Дежурный | **{} МСК** |\n"
    assert _deadline(row.format("18:30"), MOSCOW, language="ru")[0] == "pass"
    assert _deadline(row.format("19:30"), MOSCOW, language="ru")[0] == "fail"


def test_a_list_item_s_wrapped_line_keeps_its_entry_s_words() -> None:
    """'- Response target: … The tool tracks our internal\\n  target instead: 1 hour, 24x7 -> **00:50 SGT**': the time on
    the wrapped line lost the item's first-response words, so a due moved by an hour went unread."""
    item = "- Response target: no verified figure. Our internal first response\n  target instead: 4 hours -> **{} MSK**.\n"
    assert _deadline(item.format("18:30"), MOSCOW)[0] == "pass"
    assert _deadline(item.format("19:30"), MOSCOW)[0] == "fail"


def test_tencent_s_production_system_impacted_written_in_chinese_is_that_level() -> None:
    """br-ec-zh-1.board: '提交腾讯云工单，级别"生产系统受影响"' read as no case level at all."""
    assert _graded("blind9", "br-ec-zh-1.board").passed
    assert "check:vendor_severity" in _graded("blind9", "br-ec-zh-1.p2").failures()


def test_an_override_against_the_tool_s_level_named_as_the_tool_s_is_read() -> None:
    """"I'm calling this P0, not the tool's P1. The tool read 'breadth not stated', but the report states it: …" and
    "I classify this P2, one level above the tool's P3 (B-minor-or-question, 0.9)" named no override word, and
    "`classify_severity` gave **P1**" read as the level assigned: 'the tool's', 'above the tool' are override words,
    a sentence on what the tool read explains the override before it, and a level the tool 'gave' is its, not the
    answer's."""
    from escalation_kit.evals.grounding import _explained_override

    assert _explained_override("**I'm calling this P0, not the tool's P1.** The tool read \"breadth not stated\", but the report states it: every request 503s for all drivers.", "P1", "P0")
    assert not _explained_override("**I'm calling this P0, not the tool's P1.** Drivers are unhappy.", "P1", "P0")
    assert _explained_override("- I classify this **P2**, one level above the tool's P3 (B-minor-or-question, 0.9).", "P3", "P2")
    assert assigned_level("`classify_severity` gave **P1** with P2 as the named alternative. I'd file at **P2 / Azure Severity B**.")[0] == "P2"
    for answer_id in ("br-ec-en-1.p0-warroom", "br-ew-en-1.tracking-p2", "bq-ve-en-1.sev-b"):
        assert _graded("blind9", answer_id).passed, answer_id
    assert "check:severity" in _graded("blind9", "br-ew-ru-1.p1").failures()


def test_a_bold_label_with_a_bracketed_note_and_a_comma_is_a_run_in_label() -> None:
    """bq-ac-en-1.kickoff: '**Evidence checklist** (parallel - don't block the fix), window 22:50 SGT -> now: …' was no
    label, so the evidence item had no section. A bold label, a note in brackets and a comma open a run-in section
    (weak: only a label that names an item)."""
    from escalation_kit.evals.markdown import split_sections

    text = ("**Status page check:** not verified.\n\n**Evidence checklist** (parallel - don't block the fix), window "
            "22:50 SGT -> now: CloudMonitor OSS 403 ratio, SLS access logs, ActionTrail changes.\n")
    titles = [s.title for s in split_sections(text, accept_weak=lambda t: "evidence" in t)]
    assert "evidence checklist" in titles
    assert _graded("blind9", "bq-ac-en-1.kickoff").passed


def test_a_credential_or_a_local_mobile_number_in_clear_fails_personal_data() -> None:
    """An access key and secret pasted into the ticket, a Cloudflare API token in a handoff, a Logpush destination with
    its secret key, and a customer's '手机 139 1234 5678' in the case text passed: only +country-code numbers were read.
    A key named without its value, or a placeholder, is no credential."""
    from escalation_kit.evals.grounding import check_personal_data

    def status(text: str) -> str:
        got = check_personal_data(text)
        return got[0].status if got else "none"

    assert status("  AccessKey ID: LTAI5tGq8vXm2PZrYh7KcN3d\n  AccessKey Secret: Wq9mT4zR7xLb2VnE8sKd1HcY6pJf3A\n") == "fail"
    assert status("дайте ему наш API-токен: `CF_API_TOKEN=Xq7vR2kP9sLm4TzW8yBn3HcJ6dFg1AeU0oQi5`.") == "fail"
    assert status("`s3://logs/http?region=eu-central-1&access-key-id=AKIA4QX7PLZ2M5VJ3KTR&secret-access-key=q7Vw2nR9tKx0`") == "fail"
    assert status("受影响订单示例：用户 王磊（手机 139 1234 5678，收货地址 银川市）") == "fail"
    assert status("Do not paste the API token: `CF_API_TOKEN=<token>`; the secret stays in Vault.") == "none"
    assert status("AccessKey ID: LTAI**** (masked). Order 13912345678 failed.") == "none"


def test_a_failover_in_another_region_is_no_move_there() -> None:
    """br-ew-zh-1.wrong-region: '…印度尼西亚（雅加达）ap-southeast-5 地域的 RDS 主实例主备切换，订单写入失败' for a Singapore
    incident passed: '切换' (a primary/standby failover) read as moving to a healthy region. Only 切换到/切换至 move."""
    assert "check:regions" in _graded("blind9", "br-ew-zh-1.wrong-region").failures()
    assert _graded("blind9", "br-ew-zh-1.good").passed


def test_a_green_status_claim_wrapped_over_lines_is_one_sentence() -> None:
    """bq-ac-zh-1.status-claimed: '已查看阿里云健康看板 https://status.aliyun.com/：华东2（上海）的 ECS、容器服务 ACK、\\n专有网络 VPC
    均显示正常' put the page and the green words on two lines of one hard-wrapped sentence, so no sentence held both."""
    from escalation_kit.evals.grounding import _unchecked_green_claim

    text = "已查看**阿里云健康看板 https://status.aliyun.com/**：华东2（上海）的 ECS、容器服务 ACK、\n专有网络 VPC 均显示正常，没有进行中的事件。\n"
    assert _unchecked_green_claim(text)
    assert not _unchecked_green_claim("- 阿里云健康看板：尚未查看。\n- 专有网络 VPC 均显示正常。\n")
    assert "check:status_page" in _graded("blind9", "bq-ac-zh-1.status-claimed").failures()


def test_a_timeline_that_turns_back_on_itself_fails() -> None:
    """bq-it-zh-1.timeline-order ('21:50 监控首次告警' then '21:42 根据告警确认影响范围') and br-ec-en-1.timeline-order (07:12 and
    07:05 after 07:20) passed: only actions before the onset were read. A list of timed entries under a timeline's
    name that runs one way and then turns back fails; newest first, past midnight, or an action plan's list do not."""
    from escalation_kit.evals.grounding import _out_of_order

    zh = "时间线（北京时间）：\n\n- 21:30 用户开始登录失败\n- 21:50 监控首次告警\n- 21:42 根据告警确认影响范围\n- 21:57 首次响应截止\n"
    assert _out_of_order(zh) == "- 21:42 根据告警确认影响范围"
    assert _out_of_order(zh.replace("21:50", "21:40")) is None
    assert _out_of_order("## Escalation timeline\n- 07:45 CTO email\n- 07:20 escalation opened\n- 06:50 first 503s\n") is None
    assert _out_of_order("## Timeline\n- 23:40 alert\n- 23:55 paged\n- 00:10 case filed\n") is None
    assert _out_of_order("## Action plan\n1. 10:45 call the customer\n2. 10:15 page the DBA\n3. 11:00 case\n") is None
    assert "check:timeline" in _graded("blind9", "br-ec-en-1.timeline-order").failures()


def test_hollow_bodies_blind9_wrote_are_filler() -> None:
    """'escalate through the usual support channels', 'Reproduce as described by the customer. … Expected: it works.
    Actual: it doesn't.', 'Будем держать руку на пульсе и сообщать … по мере их появления', 'соберите логи, метрики и
    всё остальное' passed as bodies: each is filler (grading.yaml filler_phrases) and states no fact."""
    for answer_id, item in (("bq-ve-en-1.hollow-contacts", "item:escalation_contacts"),
                            ("br-eb-en-1.hollow-repro", "item:reproduction"),
                            ("br-eb-ru-1.hollow-followup", "item:follow_up"),
                            ("bq-it-ru-1.hollow-evidence", "item:evidence")):
        assert item in _graded("blind9", answer_id).failures(), answer_id
    # br-eb-en-1.good ('P2 as computed') was the English control until stop 25's engine computed P1 for its case: it
    # now misstates the tool and fails on severity, so the labelled set (frozen by its hash) counts one false fail
    for answer_id in ("bq-ve-en-1.good", "br-eb-en-1.p1-handover", "br-eb-ru-1.good", "bq-it-ru-1.chat"):
        assert _graded("blind9", answer_id).passed, answer_id


def test_exit_criteria_that_de_escalate_at_once_are_no_exit_criteria() -> None:
    """br-ew-ru-1.early-deesc: 'Деэскалируем **сразу**, до tier 1: пользователи не затронуты …' passed as exit criteria:
    de-escalating now is a refused body (cues.yaml), and bold inside the phrase no longer hides it."""
    assert "item:deescalation" in _graded("blind9", "br-ew-ru-1.early-deesc").failures()
    assert _graded("blind9", "br-ew-ru-1.good").passed


def test_a_tier_s_response_target_is_that_tier_s_figure() -> None:
    """br-ew-en-1.tier-target: '**Tier 2 — complex technical, response target 4 h.**' passed: 4 h is a figure of the
    routing policy (tier 1's), so it read as one the tools could return. Named with its tier, the target must be that
    tier's (tier 2: 120 minutes)."""
    from escalation_kit.evals.grounding import _off_tier_figures

    assert _off_tier_figures("- **Tier 2 — complex technical, response target 4 h.**\n")
    assert not _off_tier_figures("- **Tier 2 — complex technical, response target 2 h.**\n")
    assert not _off_tier_figures("- **Уровень 4 (tier 4) — бизнес-критичный, время реакции 30 минут.**\n")
    assert not _off_tier_figures("**Уровень 2 — руководитель поддержки** (реакция в течение 1 ч).\n")
    assert "check:deadline" in _graded("blind9", "br-ew-en-1.tier-target").failures()
