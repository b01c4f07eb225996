# ruff: noqa: E501  (the answer lines are prose; wrapping them would change what is graded)
"""The disagreement classes the fifth blind set (evals/suites/blind5, stop 19) showed, one test each.

The blind set is graded by ``escalation-kit eval calibrate --suite blind5``; these tests pin the mechanisms with
lines written for them, against small SLA snapshots built here.
"""

from __future__ import annotations

from functools import partial

from escalation_kit.evals.build import engine_transcript
from grading_support import deadline as _deadline
from grading_support import sla_calls

_sla = partial(sla_calls, severity="P2")


# A Friday-evening case in St. John's (UTC-03:30): first response Monday 09:40, next update Monday 16:40.
NEWFOUNDLAND = _sla("2026-11-27T16:40:00-03:30", "America/St_Johns", "2026-11-30T09:40:00-03:30",
                    updates=("2026-11-30T16:40:00-03:30",), triggers=("2026-11-27T17:40:00-03:30",))


def test_a_utc_offset_written_with_the_minus_sign_is_a_zone_not_a_time() -> None:
    """'09:40 NST (UTC−03:30)' with U+2212 read 03:30 as a deadline; the offset is the zone of the time."""
    assert _deadline("First response due Mon 09:40 NST (UTC−03:30).\n", NEWFOUNDLAND)[0] == "pass"
    assert _deadline("First response due Mon 12:10 (UTC−03:30).\n", NEWFOUNDLAND)[0] == "fail"
    assert _deadline("First response due Mon 13:10 UTC.\n", NEWFOUNDLAND)[0] == "pass"


def test_a_commitment_word_governs_the_first_time_after_it_and_its_list_only() -> None:
    """'first response by 12:20, rollback decision by 13:00' checked the team's own 13:00 against the tool, and
    'next update 16:40 (after the 02:00 clock change)' the clock change; a list ('17:40 and 18:10') stays checked."""
    first = "First response due Mon 09:40 NST."
    assert _deadline(f"{first} Next update by Mon 16:40 NST, rollback decision by 13:00 NST.\n", NEWFOUNDLAND)[0] == "pass"
    assert _deadline(f"{first} Next update by Mon 16:40 NST (after the 02:00 clock change).\n", NEWFOUNDLAND)[0] == "pass"
    status, detail = _deadline(f"{first} At-risk reminders at 17:40 and 18:10 NST.\n", NEWFOUNDLAND)
    assert status == "fail" and "18:10" in detail
    assert _deadline(f"{first} Next update by 17:00 NST.\n", NEWFOUNDLAND)[0] == "fail"


def test_a_time_in_brackets_ends_its_clause_where_they_close_before_a_comma() -> None:
    """'(their evening peak starts ~19:00), contract SLA at stake': the SLA word belongs to the next clause; a bracketed
    time the clause goes on from ('after 1 hour (03:25) the case escalates') is still checked."""
    first = "First response due Mon 09:40 NST."
    assert _deadline(f"{first} Stakes: lost orders (their evening peak starts ~19:00 NST), contract SLA at stake.\n", NEWFOUNDLAND)[0] == "pass"
    assert _deadline(f"{first} After 3 hours (19:40 NST) the case escalates.\n", NEWFOUNDLAND)[0] == "fail"


# A Saturday-morning case in Shanghai: first response Monday 13:00, updates Sunday and Monday 10:05.
SHANGHAI = _sla("2026-12-12T10:05:00+08:00", "Asia/Shanghai", "2026-12-14T13:00:00+08:00",
                updates=("2026-12-13T10:05:00+08:00", "2026-12-14T10:05:00+08:00"))


def test_a_zone_named_in_a_later_sentence_is_not_the_time_s_zone() -> None:
    """'下次 10:05。若客户服务器仍是 UTC 则升级' read 10:05 as UTC: the zone is what the incident is about."""
    answer = "首次响应截止周一 13:00(北京时间)。\n**跟进节奏:** 内部每日更新(下次 10:05)。若客户服务器仍是 UTC 则升级研发。\n"
    assert _deadline(answer, SHANGHAI)[0] == "pass"
    assert _deadline(answer.replace("(下次 10:05)。", "(下次 10:05 UTC)。"), SHANGHAI)[0] == "fail"


def test_a_day_part_word_makes_a_twelve_hour_time_an_evening_one() -> None:
    """'今晚 11:20 前' is 23:20, as '11:20 pm' is; '下午 3:20' is 15:20; 'в 11:20 вечера' too."""
    calls = _sla("2026-12-19T15:20:00+08:00", "Asia/Shanghai", "2026-12-19T23:20:00+08:00",
                 updates=("2026-12-20T15:20:00+08:00",))
    assert _deadline("首次响应 480 分钟,也就是**今晚 11:20 前**(北京时间)。\n", calls)[0] == "pass"
    assert _deadline("首次响应:今晚 11:20 前。更新:明天下午 3:20 前。\n", calls)[0] == "pass"
    assert _deadline("首次响应:今晚 10:20 前。\n", calls)[0] == "fail"
    assert _deadline("Первый ответ до 11:20 вечера (по Пекину).\n", calls)[0] == "pass"


# A Friday-evening case in Moscow: first response Monday 14.12 10:50, customer updates 14.12 and 15.12 17:50.
MOSCOW = _sla("2026-12-11T17:50:00+03:00", "Europe/Moscow", "2026-12-14T10:50:00+03:00",
              updates=("2026-12-14T17:50:00+03:00", "2026-12-15T17:50:00+03:00"),
              triggers=("2026-12-14T09:50:00+03:00",))


def test_a_date_written_with_a_time_must_be_the_tool_s_day_for_it() -> None:
    """'Monday 15 December, 10:50' passed where the tool's 10:50 is on the 14th: only ISO dates were read."""
    for day in ("14.12", "14 декабря", "пн 14.12.2026", "Mon 14 Dec", "Dec 14", "12月14日", "12-14(周一)"):
        assert _deadline(f"First response due {day} 10:50 MSK.\n", MOSCOW)[0] == "pass", day
    for day in ("15.12", "15 декабря", "Tue 15 Dec", "Dec 15,", "12月15日"):
        assert _deadline(f"First response due {day} 10:50 MSK.\n", MOSCOW)[0] == "fail", day
    assert _deadline("Первый ответ до 10:50 МСК 15.12.2026.\n", MOSCOW)[0] == "fail"  # the date after the time
    assert _deadline("First response due 10:50 MSK. Next customer update 15.12, 17:50.\n", MOSCOW)[0] == "pass"


def test_only_a_month_name_makes_a_word_and_a_number_a_date() -> None:
    """'marks 15' or 'decided 15' before a time is no 15 March or December: month names are whole words."""
    from datetime import date

    from escalation_kit.evals.grounding import _TIME, _stated_date

    for line, want in (("at-risk marks 15 10:50", None), ("decided 15 10:50", None), ("sept 3 10:00", "2026-09-03"),
                       ("14 дек. 10:50", "2026-12-14"), ("Mon 30 Nov 2026 09:40".lower(), "2026-11-30")):
        assert _stated_date(line, _TIME.search(line), date(2026, 12, 1)) == want, line


def test_a_first_response_pairs_across_a_comma_that_only_a_joiner_or_a_date_follows() -> None:
    """'first response within 15 minutes, by 18:05' and 'first response due Monday 14 Dec, 09:50' are the first
    response itself: a time the tool gave for something else (an update, an at-risk mark) is not it."""
    assert _deadline("Первый ответ клиенту — в течение 15 минут, до 09:50 14.12.\n", MOSCOW)[0] == "fail"
    assert _deadline("First response due: Monday 14 Dec, 09:50 MSK.\n", MOSCOW)[0] == "fail"
    assert _deadline("First response due: Monday 14 Dec, 10:50 MSK.\n", MOSCOW)[0] == "pass"


def test_a_new_item_with_its_own_joiner_takes_the_time_from_the_commitment_word() -> None:
    """A parallel list keeps the word ('updates daily (next 14.12, 17:50), customers (next 15.12, 17:50)'), a
    new item with 'by'/'до' does not ('first response by 10:50, rollback decision by 13:00')."""
    assert _deadline("Первый ответ до 10:50 МСК 14.12, решение по откату — до 13:00 МСК.\n", MOSCOW)[0] == "pass"
    parallel = "Обновления: внутренние ежедневно (следующее — пн 14.12, 17:50), клиентам раз в 1–2 дня (следующее — вт 15.12, 18:50).\n"
    status, detail = _deadline("Первый ответ до 10:50 МСК.\n" + parallel, MOSCOW)
    assert status == "fail" and "18:50" in detail


def test_the_moment_the_clocks_change_is_not_a_deadline() -> None:
    """'account manager at 3:40 am EST (yes EST, clocks fall back at 2:00)' checked 2:00 as a deadline."""
    calls = _sla("2026-11-01T00:40:00-04:00", "America/New_York", "2026-11-01T01:40:00-04:00",
                 triggers=("2026-11-01T03:40:00-05:00",))
    assert _deadline("First response due 1:40 am EDT. Account manager at 3:40 am EST (yes EST, clocks fall back at 2:00).\n", calls)[0] == "pass"
    assert _deadline("First response due 1:40 am EDT. Next update by 03:40 EST, after the 02:00 DST fallback.\n", calls)[0] == "pass"
    assert _deadline("First response due 1:40 am EDT. Account manager at 2:00 am if no answer.\n", calls)[0] == "fail"
    # "fall back" alone is a failover, not the clocks
    assert _deadline("First response due 1:40 am EDT. Escalate, then fall back at 2:00 am to us-west-2.\n", calls)[0] == "fail"


def test_the_business_window_bound_may_be_named_by_the_clock_stopping() -> None:
    """'(2 business hrs, 09–18, clock stops tonight at 18:00)': the tool's window bound, named as the clock stopping."""
    calls = _sla("2026-12-04T17:05:00+10:30", "Australia/Adelaide", "2026-12-07T10:05:00+10:30", business_hours="09:00-18:00")
    assert _deadline("First response due Mon 10:05 ACDT (2 business hrs, clock stops tonight at 18:00).\n", calls)[0] == "pass"
    assert _deadline("First response due Mon 10:05 ACDT (2 hrs, SLA check-in tonight at 18:00).\n", calls)[0] == "fail"


def test_open_qs_is_the_open_questions_label() -> None:
    """A chat post's '**Open Qs:**' label was not read as the open-questions item."""
    from escalation_kit.evals.grader import grade_answer

    answer = ("**Sev:** P2 per classify_severity; a third of exports time out since 16:40.\n"
              "**Evidence:** export logs, request IDs, Grafana latency, deploy history.\n"
              "**Open Qs:** how many customers? (billing on-call) · what changed at 16:40? (release mgr)\n")
    items = {i.id: i for i in grade_answer(answer, "incident-triage").items}
    assert items["open_questions"].passed and items["open_questions"].matched_by == "heading"


def test_the_exact_first_response_due_on_a_deadline_line_is_stated_even_without_a_commitment_word() -> None:
    """'SLA: vendor target none; internal — Mon 14.12 10:50' failed as 'states no deadline time'. Only the exact due
    counts that way, with its date: a wrong time still reads as no deadline."""
    line = "**Тикет и контроль SLA:** срока ответа от вендора нет; внутренний — пн {} МСК.\n"
    assert _deadline("Vendor target: none published. Internal: due Mon 14.12 10:50 MSK.\n", MOSCOW)[0] == "pass"
    assert _deadline(line.format("14.12 10:50"), MOSCOW)[0] == "pass"
    assert _deadline(line.format("15.12 10:50"), MOSCOW)[0] == "fail"
    assert _deadline(line.format("14.12 11:50"), MOSCOW)[0] == "fail"


def test_a_daily_cadence_is_an_update_cadence() -> None:
    """'Внутри ежедневно, клиентам раз в 1–2 дня' under a war-room label states the update cadence."""
    from escalation_kit.evals.grader import grade_answer

    for body in ("DBA, SRE, лид каталога. Внутри ежедневно, клиентам раз в 1–2 рабочих дня.",
                 "DBA, SRE, catalog lead. Internal daily, customers twice a week."):
        items = {i.id: i for i in grade_answer(f"## Коммуникации\n{body}\n", "incident-triage").items}
        assert items["communication"].passed, items["communication"].reason


def test_a_bare_joiner_does_not_make_a_coinciding_time_the_stated_due() -> None:
    """'AWS engineer on our call until 10:50' names no deadline: it stays 'states no deadline time'."""
    status, detail = _deadline("- Инженер вендора в созвоне до 10:50 МСК — ответственный Иван.\n", MOSCOW)
    assert status == "fail" and "no deadline" in detail


def test_a_level_the_incident_will_rise_to_or_be_reassessed_as_is_not_the_assigned_one() -> None:
    """'Уровень повысится до P1, если…' and '若…则重新评估为 P1' read P1 as assigned over the stated P2."""
    from escalation_kit.evals.grounding import assigned_level

    assert assigned_level("**P2** — деградация.\n- Уровень повысится до P1, если заказы начнут падать.")[0] == "P2"
    assert assigned_level("**P2**:偶发超时。\n- 升级条件:若失败率明显上升,则重新评估为 P1。")[0] == "P2"
    assert assigned_level("**P2** - degraded.\n- It will rise to P1 when checkout fails.")[0] == "P2"
    assert assigned_level("**P2** - degraded.\n- Reassess as P1 when checkout fails.")[0] == "P2"


def test_a_green_claim_is_read_line_by_line_with_its_heading() -> None:
    """A timeline's last line ran into the claim under the next heading ('## Plan / 状态页一切正常'), and its clock
    time read as the time of the check; a heading still names the page for the first sentence under it."""
    from escalation_kit.evals.grounding import check_vendor

    calls = [("pick_vendor_support_path", {"vendor": "alibaba-cn"},
              {"vendor": "alibaba-cn", "status_pages": [{"name": "阿里云健康看板", "url": "https://status.aliyun.com/"}]})]

    def status_check(answer: str) -> str:
        tr = engine_transcript("t", "escalation-coordinator", "zh", "incident", answer, calls)
        return check_vendor(answer, tr, want_status_page=False)[0].status if check_vendor(answer, tr, False) else "none"

    assert status_check("## 时间线\n- 14:05 告警\n- 14:20 开启升级\n\n## 解决计划\n阿里云状态页一切正常,没有任何事件。\n") == "fail"
    assert status_check("## 状态页\n阿里云健康看板一切正常(14:25 查看)。\n") == "none"
    assert status_check("## 状态页\n一切正常,没有任何事件。\n") == "fail"
    assert status_check("## 状态页\n尚未查看。请 DBA 查看后记录,若显示无异常也要截图。\n") == "none"


def test_a_bold_run_in_label_ending_in_a_full_stop_names_its_item() -> None:
    """'**Влияние.** ~15 человек…' (a chat reply's run-in labels) named no item: only numbered ones were read."""
    from escalation_kit.evals.grader import grade_answer

    answer = ("**Тип и уровень эскалации.** Техническая, со второй линии на третью; P2 по инструменту.\n\n"
              "**Влияние.** ~15 человек у клиента без staging с 08:30 субботы, пользователи не затронуты.\n\n"
              "**Хронология.** 08:30 — кластер не отвечает → 09:40 — тикет → 10:15 — эскалация.\n\n"
              "**Восстановление отношений.** Разбор причины и письмо техлиду с выводами; уроки по мониторингу.\n\n"
              "**Важно.** Это не заголовок, а просто выделенное слово в начале абзаца.\n")
    items = {i.id: i for i in grade_answer(answer, "escalation-coordinator").items}
    for item in ("impact", "timeline", "relationship_recovery"):
        assert items[item].passed and items[item].matched_by == "heading", item


def test_the_same_first_response_in_a_second_zone_is_the_first_response_too() -> None:
    """'до 03:10 МСК (23:10 UTC 11.12)': the UTC twin of the first response, an hour off and dated before the
    opening, was read as history. It is the first response in another zone."""
    calls = _sla("2026-12-12T02:40:00+03:00", "Europe/Moscow", "2026-12-12T03:10:00+03:00",
                 triggers=("2026-12-12T02:50:00+03:00", "2026-12-12T03:00:00+03:00"))
    assert _deadline("Первый ответ — 30 минут: до 03:10 МСК (00:10 UTC 12.12).\n", calls)[0] == "pass"
    assert _deadline("Первый ответ — 30 минут: до 03:10 МСК (23:10 UTC 11.12).\n", calls)[0] == "fail"
    assert _deadline("Первый ответ до 03:10 МСК (02:50 / 03:00 проверки).\n", calls)[0] == "pass"


def test_a_bare_escalation_label_names_the_vendor_escalation_item_in_chinese_too() -> None:
    """'**升级**：…' failed where 'Escalation:' and 'Эскалация:' name the item."""
    from escalation_kit.evals.grader import grade_answer

    answer = "- **升级**:工具没给这个计划的 TAM/客户经理。到 9:55 没回就在工单里追问,真出故障再按新事件提更高级别工单。\n"
    items = {i.id: i for i in grade_answer(answer, "vendor-escalation").items}
    assert items["escalation_contacts"].passed and items["escalation_contacts"].matched_by == "heading"


def test_a_terse_chinese_handoff_says_what_was_tried() -> None:
    """'已试重试/拆批/查配额；诊断：任务 ID…' is what the handoff carries; it read as an action list."""
    from escalation_kit.evals.grader import grade_answer

    answer = ("| 项目 | 内容 |\n|---|---|\n"
              "| **交接文档** | 约 20% 刷新失败,仅广州;已试重试/拆批/查配额;诊断:任务 ID、RequestId、截图。 |\n")
    items = {i.id: i for i in grade_answer(answer, "escalation-workflow").items}
    assert items["handoff"].passed, items["handoff"].reason


def test_the_alibaba_open_questions_item_also_says_when_the_review_is() -> None:
    """Open questions with no post-incident review passed the Alibaba skill's item 'Open questions and
    post-incident review'; a review under its own label in the same item's headings counts."""
    from escalation_kit.evals.grader import grade_answer

    def item(answer: str, skill: str = "alibaba-cloud-triage"):
        return grade_answer(answer, skill).item("open_questions")

    questions = "## Open questions\n- Can login traffic fail over to Frankfurt? (SRE)\n- Were any sessions lost? (DBA)\n"
    assert not item(questions).passed
    assert item(questions, "incident-triage").passed  # the plain triage item asks for no review
    assert item(questions + "- Post-incident review within 5 business days, owner: IC.\n").passed
    zh = "## 待解决问题\n1. 主实例宕机的原因?——DBA\n\n**复盘**:恢复后 3 个工作日内召开,负责人为 IC。\n"
    assert item(zh).passed


def test_an_internal_target_is_a_tool_commitment_and_its_day_is_checked() -> None:
    """'внутренний срок — 2 рабочих часа: понедельник, 15 декабря, 10:50' (the tool's internal due on the 14th)
    was checked by neither its words nor its day: within 12 hours before the opening clock, it read as history."""
    line = "- Подтверждённого срока у вендора нет; внутренний срок — 2 рабочих часа: **понедельник, {} декабря, 10:50 МСК**.\n"
    assert _deadline(line.format(14), MOSCOW)[0] == "pass"
    status, detail = _deadline(line.format(15), MOSCOW)
    assert status == "fail" and "10:50" in detail
    assert _deadline("First response due 14.12 10:50 MSK. Internal target: Dec 15, 10:50 MSK.\n", MOSCOW)[0] == "fail"


def test_a_reproduction_section_that_only_says_reproduce_it_gives_no_step() -> None:
    """'Reproduce the issue following the customer's description' met the reproduction item by its own word."""
    from escalation_kit.evals.grader import grade_answer

    def repro(body: str) -> bool:
        return grade_answer(f"## Reproduction steps\n{body}\n", "escalation-brief").item("reproduction").passed

    assert not repro("Reproduce the issue following the customer's description. Engineering should see it in the logs.")
    assert repro("1. Open an invoice over 200 pages. 2. Click Download PDF. Expected: a PDF; actual: a 504 after 30 s.")
    assert repro("We could not reproduce it on staging; it happens only for the customer's tenant nw-4471.")
    assert repro("在测试环境无法复现,只在客户租户 nw-4471 上出现,已收集请求 ID。")


def test_several_in_chinese_is_no_condition() -> None:
    """若干 ('several') holds 若 ('if'): a level in a sentence about several customers is still assigned."""
    from escalation_kit.evals.grounding import assigned_level

    assert assigned_level("若干客户反馈无法登录,级别:P1。")[0] == "P1"


def test_a_level_with_a_time_to_look_again_is_still_assigned() -> None:
    """'reassess' alone read a level as hypothetical: 'Severity P1 — reassess in 30 minutes' assigns P1."""
    from escalation_kit.evals.grounding import assigned_level

    assert assigned_level("Severity P1 — reassess in 30 minutes.")[0] == "P1"
    assert assigned_level("级别 P2(30 分钟后重新评估)。")[0] == "P2"
