# ruff: noqa: E501  (the answer lines are prose; wrapping them would change what is graded)
"""The disagreement classes the seventh blind set (evals/suites/blind7, stop 21) showed, one test each.

The blind set is graded by ``escalation-kit eval calibrate --suite blind7``; these tests pin the mechanisms with
lines written for them, against small tool results built here.
"""

from __future__ import annotations

from escalation_kit.evals.build import engine_transcript
from grading_support import deadline as _deadline
from grading_support import sla_calls as _sla

# A Novosibirsk afternoon: opened 15:10, first response 19:10 (240 min), at-risk 17:10, update 16:10.
NOVOSIBIRSK = _sla("2026-12-10T15:10:00+07:00", "Asia/Novosibirsk", "2026-12-10T19:10:00+07:00",
                   updates=("2026-12-10T16:10:00+07:00",), triggers=("2026-12-10T17:10:00+07:00",))


def test_a_commitment_word_a_joiner_ties_to_the_next_time_is_not_the_earlier_time_s() -> None:
    """'обращение к 15:25, ответ вендора до 19:10': the team files its case by 15:25 (its own action time); 'ответ'
    belongs to 19:10, which 'до' introduces. A word that names the earlier time itself still binds it."""
    plan = "- Олег Н. — обращение Azure Severity B к 15:25, ответ вендора до 19:10; L2-выводы к 17:10.\n"
    assert _deadline(plan, NOVOSIBIRSK, language="ru")[0] == "pass"
    assert _deadline("- Olga files the case by 15:25, vendor response by 19:10.\n", NOVOSIBIRSK)[0] == "pass"
    assert _deadline("- 15:25 response due, update by 16:10.\n", NOVOSIBIRSK)[0] == "fail"
    assert _deadline("- 15:25 为内部跟踪截止，17:10 提醒。\n", NOVOSIBIRSK, language="zh")[0] == "fail"


# A Shanghai morning: opened 09:30, first response 10:00, internal 10:30, account manager 13:30.
SHANGHAI = _sla("2026-12-02T09:30:00+08:00", "Asia/Shanghai", "2026-12-02T10:00:00+08:00",
                updates=("2026-12-02T13:30:00+08:00",), internal_due="2026-12-02T10:30:00+08:00")


def test_a_circled_number_opens_a_list_entry() -> None:
    """'③ 内部三线 1 小时目标 → 10:30 ④ 陈总 11:30 前致电客户 CTO ⑤ 13:30 无响应 → 客户经理': NFKC makes ④ a plain 4, so
    '跟进'/'超时' of entry ② governed 11:30 (the director's own call). A circled number ends the entry before it."""
    row = "| 解决计划 | ② 腾讯云首次响应 → 10:00，王磊跟进，超时打电话 ③ 内部三线 1 小时目标 → 10:30 ④ 陈总 11:30 前致电客户 CTO ⑤ 13:30 无响应 → 客户经理 |\n"
    assert _deadline(row, SHANGHAI, language="zh")[0] == "pass"
    assert _deadline(row.replace("13:30 无响应", "14:30 无响应"), SHANGHAI, language="zh")[0] == "fail"


def test_a_time_last_night_is_history() -> None:
    """'故障本身从昨晚 22:00 持续约 11 小时' in a case opened at 08:50: last night's 22:00 is more than half a day's
    clock distance from 08:50 on the same day, so it was read as a deadline; 昨晚, 'last night', накануне date it."""
    morning = _sla("2026-12-03T08:50:00+08:00", "Asia/Shanghai", "2026-12-03T09:50:00+08:00",
                   updates=("2026-12-03T12:50:00+08:00",))
    due = "首次响应 09:50 前。\n"
    assert _deadline(f"{due}故障本身从昨晚 22:00 持续约 11 小时，升级单 08:50 才建立，未超过目标。\n", morning, language="zh")[0] == "pass"
    assert _deadline("First response by 09:50.\nThe outage has run from last night 22:00, the escalation ticket is within target.\n", morning)[0] == "pass"
    assert _deadline(f"{due}昨晚 22:00 升级客户经理。\n", morning, language="zh")[0] == "pass"
    assert _deadline(f"{due}22:00 升级客户经理。\n", morning, language="zh")[0] == "fail"


# A Moscow staging case: Yandex 'Normal', 240 minutes, clock unknown (read 24x7); the SLA tool counted 30 minutes.
YANDEX = _sla("2026-11-04T10:20:00+03:00", "Europe/Moscow", "2026-11-04T10:50:00+03:00",
              updates=("2026-11-05T10:20:00+03:00",), triggers=("2026-11-04T10:35:00+03:00",)) + [
    ("pick_vendor_support_path", {"vendor": "yandex", "severity": "P2"},
     {"vendor": "yandex", "plan": "business",
      "case_severity": {"name": "Normal", "response_minutes": 240, "clock": "unknown"}})]


def test_the_vendor_level_s_own_response_figure_gives_a_first_response() -> None:
    """'Первый ответ: 240 минут … дедлайн 14:20 МСК. 50 % — в 12:20, 75 % — в 13:20': the vendor level the tool
    picked answers in 240 minutes; its due and marks are times the tools gave. On a business clock it is not
    counted here (the SLA tool's business arithmetic is the only one), and another time still fails."""
    line = "- Первый ответ: 240 минут → **дедлайн 04.11.2026 14:20 МСК**. 50 % времени — в 12:20, 75 % — в 13:20.\n"
    assert _deadline(line, YANDEX, language="ru")[0] == "pass"
    assert _deadline(line.replace("14:20", "15:20"), YANDEX, language="ru")[0] == "fail"
    business = [c if c[0] != "pick_vendor_support_path" else
                (c[0], c[1], {**c[2], "case_severity": {**c[2]["case_severity"], "clock": "business"}}) for c in YANDEX]
    assert _deadline(line, business, language="ru")[0] == "fail"


def _status(answer: str, incident: str, calls: list) -> tuple[str, str]:
    from escalation_kit.evals.grounding import check_vendor

    tr = engine_transcript("t", "incident-triage", "en", incident, answer, calls)
    got = [c for c in check_vendor(answer, tr) if c.id == "status_page"]
    return got[0].status, got[0].detail


AWS = _sla("2026-12-03T14:20:00+05:30", "Asia/Kolkata", "2026-12-03T14:35:00+05:30") + [
    ("pick_vendor_support_path", {"vendor": "aws", "severity": "P1"},
     {"vendor": "aws", "case_severity": {"name": "Production system down"},
      "status_pages": [{"name": "AWS Health Dashboard", "url": "https://health.aws.amazon.com/health/status"}]})]


def test_a_status_page_checked_before_the_incident_began_is_no_check() -> None:
    """'Checked the AWS Health Dashboard at 13:55 IST — all green' for an outage since 14:05 IST: a time was given,
    so the unchecked-green rule passed it; the page was read before the incident began. Without a time in the
    incident text the opening counts (a check at 09:50 for a case opened 10:20)."""
    since = "Since 14:05 IST our API in ap-south-1 returns 503."
    claim = "Checked the AWS Health Dashboard (https://health.aws.amazon.com/health/status) at **{} IST** — all services green, no open events.\n"
    assert _status(claim.format("13:55"), since, AWS)[0] == "fail"
    assert _status(claim.format("14:15"), since, AWS)[0] == "pass"
    assert _status(claim.format("13:55"), "Our API in ap-south-1 returns 503.", AWS)[0] == "fail"
    assert _status(claim.format("14:25"), "Our API in ap-south-1 returns 503.", AWS)[0] == "pass"



def _case_level(answer: str, calls: list, skill: str = "incident-triage") -> tuple[str, str]:
    from escalation_kit.evals.grounding import check_vendor

    tr = engine_transcript("t", skill, "en", "incident", answer, calls)
    got = [c for c in check_vendor(answer, tr) if c.id == "vendor_severity"]
    return got[0].status, got[0].detail


# A planning question the classifier rated P1: Google's P1 case for it; P3 maps to a P4 case on the same plan.
GOOGLE = [("classify_severity", {"text": "x"}, {"severity": "P1"}),
          ("pick_vendor_support_path", {"vendor": "gcp", "severity": "P1"},
           {"vendor": "gcp", "plan": "enhanced",
            "case_severity": {"name": "P1 - Critical impact: service unusable in production", "api_code": "P1"}})]


def test_a_case_level_of_the_answer_s_explained_override_is_the_tool_s_mapping() -> None:
    """The answer sets P3 over the tool's P1 with a reason, then files Google's P4 - the level the tool maps P3 to on
    that plan. It failed as if the answer had filed a wrong level; without a reason, or with a level the override
    does not map to, it still fails."""
    why = "The tool returned **P1** for a hypothetical in a planning question, so I'm setting this to **P3**: the rubric puts questions and how-tos at P3, and no users or regions are affected.\n\n"
    case = "If you want Google to confirm, file a **P4 - Low impact: service fully usable** case.\n"
    assert _case_level(why + case, GOOGLE)[0] == "pass"
    assert _case_level("Severity: **P3**.\n\n" + case, GOOGLE)[0] == "fail"
    assert _case_level(why + case.replace("P4 - Low impact: service fully usable", "P3 - Medium impact: service use partially impaired"), GOOGLE)[0] == "fail"


HUAWEI = [("classify_severity", {"text": "x"}, {"severity": "P0"}),
          ("pick_vendor_support_path", {"vendor": "huawei", "severity": "P0"},
           {"vendor": "huawei", "plan": "business", "case_severity": {"name": "Production system unavailable"}})]


def test_a_case_level_the_plan_does_not_offer_is_named_not_filed() -> None:
    """'для P0 у Huawei есть уровень Core system unavailable, но на плане Business его нет — подаём лучший доступный':
    the level named to say the plan lacks it was read as the one filed."""
    ru = "Для P0 у Huawei есть уровень *Core system unavailable*, но на плане **Business** его нет — подаём уровень **Production system unavailable**.\n"
    assert _case_level(ru, HUAWEI)[0] == "pass"
    en = "Level **Core system unavailable** is not offered on Business; we file Production system unavailable.\n"
    assert _case_level(en, HUAWEI)[0] == "pass"
    assert _case_level("Уровень *Core system unavailable* — подаём его.\n", HUAWEI)[0] == "fail"


# Huawei answers a Business-plan case in 60 minutes: first response 14:25, update 15:25.
MOSCOW = _sla("2026-11-19T13:25:00+03:00", "Europe/Moscow", "2026-11-19T14:25:00+03:00",
              updates=("2026-11-19T15:25:00+03:00",))


def test_a_deadline_under_a_first_response_line_with_no_time_is_that_response_s() -> None:
    """'- Первый ответ — 60 минут, 24x7' / '- Обращение подано в 13:25 → дедлайн 14:25': the deadline line names no
    commitment, so moving it to 15:25 (an update time) passed. A deadline line under another line stays unbound."""
    good = "- Первый ответ — **60 минут, 24x7**.\n- Обращение подано в 13:25 МСК → **дедлайн 19.11.2026 14:25 МСК**.\n- 15:25 МСК (2 часа без ответа) — звонить аккаунт-менеджеру.\n"
    assert _deadline(good, MOSCOW, language="ru")[0] == "pass"
    assert _deadline(good.replace("дедлайн 19.11.2026 14:25", "дедлайн 19.11.2026 15:25"), MOSCOW, language="ru")[0] == "fail"
    apart = "- Первый ответ — 14:25 МСК.\n- План Б — дедлайн 15:25 МСК.\n"
    assert _deadline(apart, MOSCOW, language="ru")[0] == "pass"



def _item(answer: str, skill: str, item_id: str) -> tuple[bool, str]:
    from escalation_kit.evals.grader import grade_answer

    got = grade_answer(answer, skill).item(item_id)
    return got.passed, got.reason or ""


def test_an_open_item_that_weighs_two_answers_asks_a_question() -> None:
    """'Open questions / review: failure share (SRE) · throttling vs platform (ticket) · review Wed 16 Dec': an item
    weighing two answers is an open question, as one naming an unknown is; a list of tasks still is not."""
    weighs = "**Open questions / review:** failure share (SRE) · throttling vs platform (ticket) · partial writes (upload owner) · review Wed 16 Dec, SRE lead.\n"
    assert _item(weighs, "alibaba-cloud-triage", "open_questions")[0]
    assert _item(weighs.replace(" vs ", " versus "), "incident-triage", "open_questions")[0]
    tasks = "**Open questions / review:** failure share (SRE) · throttling graph (ticket) · partial writes (upload owner) · review Wed 16 Dec, SRE lead.\n"
    assert not _item(tasks, "alibaba-cloud-triage", "open_questions")[0]



def test_a_region_named_as_a_workaround_s_target_is_no_failure_there() -> None:
    """'a working workaround (e.g. failing Indian traffic over to ap-southeast-1) would cap it at P2': 'e.g.' ends a
    sentence, so 'failing … over to ap-southeast-1' read as a failure placed there. Traffic moved over to a region,
    or a workaround in it, is a plan; 503s in it are still another incident."""
    from escalation_kit.evals.grounding import check_regions

    def regions(answer: str) -> str:
        tr = engine_transcript("t", "incident-triage", "en", "Since 14:05 IST our API in ap-south-1 returns 503.", answer, [])
        return check_regions(answer, tr)[0].status

    assert regions("A working workaround (e.g. failing Indian traffic over to ap-southeast-1) would cap it at P2.\n") == "pass"
    assert regions("Workaround: serve India from ap-southeast-1 while ap-south-1 is down.\n") == "pass"
    assert regions("The API in ap-southeast-1 is failing with 503 since 14:05.\n") == "fail"



BRIEF_LINES = [
    "Summary & target: Brightwell — invoice CSV export times out; P2. Target: Engineering, support has no lever.",
    "Impact: 1 customer, 1 account (~180k invoices); finance has to retry; revenue at risk unknown.",
    "Description: Since this week full-year exports sometimes fail with 'Export timed out' after ~2 min.",
    "Repro (from the customer, not yet reproduced by us): Invoices, range 1/1–11/25 → Export CSV. Expected: file <60 s. Actual: timeout.",
    "Tried: other browser (no change) · quarterly ranges (always OK, given as workaround).",
    "Customer comms: emailed 4:30 PM ET today; they expect an answer before Mon 11/30.",
    "Needed: investigate and say if a timeout bump is feasible before 11/30.",
    "Follow-up: chase Eng daily; customer update every 1–2 business days; de-escalate if the workaround is accepted.",
]


def test_a_ticket_comment_s_label_lines_are_its_sections() -> None:
    """A ticket comment of 'Label: text' lines with no blank line between them, or blank-separated under a bold
    title line that names one item ('**Internal note → escalating to Billing Eng**'), failed every item but the
    first: a paragraph label needed a blank line before it and no item heading above it. A run of label lines, and
    labels under a title over three or more other items, are the sections; a lone 'Impact:' line inside a
    paragraph is still body text."""
    from escalation_kit.evals.grader import grade_answer

    terse = "Internal note on ticket #48213 → escalating to Eng (exports)\n\n" + "\n".join(BRIEF_LINES) + "\n"
    assert grade_answer(terse, "escalation-brief").failures() == []
    titled = "**Internal note → escalating to Billing Eng**\n\n" + "\n\n".join(BRIEF_LINES) + "\n"
    assert grade_answer(titled, "escalation-brief").failures() == []
    prose = ("## Summary & target\nBrightwell CSV export times out; P2; target Engineering, support has no lever.\n"
             "It started this week.\nImpact: 1 customer, 1 account; finance has to retry.\n")
    assert "item:impact" in grade_answer(prose, "escalation-brief").failures()



def test_traditional_chinese_labels_name_their_items() -> None:
    """'**進度與SLA追蹤**', '**行動項與負責人**', '**降級條件**': the cue lists are written in simplified characters, so
    a traditional-character answer failed three items. Text is folded to simplified characters, one for one."""
    from escalation_kit.evals.grader import grade_answer
    from escalation_kit.evals.markdown import normalize

    assert normalize("進度與SLA追蹤") == "进度与sla追踪"
    body = ("**進度與SLA追蹤**：負責人陳怡君；首次回應截止 12/14 上午 10:20，目前正常，提醒 9:20。\n\n"
            "**行動項與負責人**：首次回應——陳怡君，12/14 上午 10:20；回覆客戶——林志明，今天下午 5:50。\n\n"
            "**降級條件**：找到原因並上線修正、客戶確認載入正常、觀察 2 個工作日無逾時。\n")
    failures = grade_answer(body, "escalation-workflow").failures()
    assert not {"item:tracking", "item:actions_owners", "item:deescalation"} & set(failures), failures



TRIAGE_RU = ("**Классификация и масштаб.** P2 (правило B-degraded): выгрузка PDF иногда падает с 500 у части пользователей, повтор помогает.\n\n"
             "**Страница статуса.** Провайдер не указан — ничью страницу статуса я не проверял, SRE скажет, где живёт сервис.\n\n"
             "**Сбор доказательств (параллельно с исправлением).** Логи сервиса PDF с 06:00, метрики 5xx по эндпоинту, трейсы по request-id, релизы за вчера.\n\n"
             "**Эскалация, SLA и коммуникации.**\n- Тикет в L2 (P2), первый ответ до 12:40 МСК; дежурный — Иван.\n"
             "- Канал #inc-pdf-export в Slack, апдейт раз в день, следующий завтра в 11:40; клиентам — по запросу через поддержку.\n\n"
             "**Открытые вопросы.** Доля неудачных попыток (L2)? Испорчены ли уже выгруженные отчёты? Причина (дежурный)?\n")


def test_a_heading_naming_two_items_holds_both() -> None:
    """'**Эскалация, SLA и коммуникации.**' (and '工单、SLA 与钉钉作战室') merges two items under one heading with both
    facts; the second item failed as absent. A heading split where it joins parts ('и', ',', '、', '与') names each
    item its parts name, and each item's own checks run on the shared section."""
    from escalation_kit.evals.grader import grade_answer

    assert grade_answer(TRIAGE_RU, "incident-triage").failures() == []
    alone = TRIAGE_RU.replace("**Эскалация, SLA и коммуникации.**", "**Эскалация и SLA.**")
    assert "item:communication" in grade_answer(alone, "incident-triage").failures()


def test_a_run_in_bold_label_may_carry_a_bracketed_note() -> None:
    """'**Сбор доказательств (параллельно с исправлением).** Логи…': a run-in label is at most 40 characters, and the
    note made this one longer, so the evidence item had no heading. The note does not count; a long label still
    is not one."""
    from escalation_kit.evals.grader import grade_answer

    assert "item:evidence" not in grade_answer(TRIAGE_RU, "incident-triage").failures()
    long = TRIAGE_RU.replace("**Сбор доказательств (параллельно с исправлением).**",
                             "**Сбор доказательств по всем сервисам кабинета и выгрузкам за неделю.**")
    assert "item:evidence" in grade_answer(long, "incident-triage").failures()



# New York, Wednesday before Thanksgiving: opened 16:45, two business hours, no holiday calendar given, so the tool's
# first response falls on Thursday 26 Nov (Thanksgiving) 09:45; the next working day is Friday 27 Nov.
THANKSGIVING = _sla("2026-11-25T16:45:00-05:00", "America/New_York", "2026-11-26T09:45:00-05:00",
                    updates=("2026-11-26T16:45:00-05:00",), clock="business", business_hours="09:00-18:00")


def test_a_business_due_on_a_public_holiday_may_be_stated_on_the_next_working_day() -> None:
    """'Thanksgiving (26 Nov) is skipped → response due Fri 27 Nov 09:45 ET' failed: the tool counted business hours
    with no holiday calendar (it says so). A tool time on a public holiday of the zone's country also holds on the
    next working day at the same clock; the tool's own day stays right, and another day still fails."""
    assert _deadline("First response due **Fri 27 Nov 09:45 ET** (Thanksgiving skipped).\n", THANKSGIVING)[0] == "pass"
    assert _deadline("First response due **Thu 26 Nov 09:45 ET**.\n", THANKSGIVING)[0] == "pass"
    assert _deadline("First response due **Mon 30 Nov 09:45 ET**.\n", THANKSGIVING)[0] == "fail"
    around_the_clock = _sla("2026-11-25T16:45:00-05:00", "America/New_York", "2026-11-26T09:45:00-05:00", clock="24x7")
    assert _deadline("First response due **Fri 27 Nov 09:45 ET**.\n", around_the_clock)[0] == "fail"


def _cadenced(level: str, internal: str, customer: str) -> list:
    """An SLA result whose update labels carry ``level``'s cadences."""
    calls = _sla("2026-11-28T09:55:00+08:00", "Asia/Shanghai", "2026-11-28T10:25:00+08:00")
    calls[1][2]["updates"] = [
        {"kind": "internal_update", "at": "2026-11-28T11:55:00+08:00", "label": f"internal update ({level}: {internal})"},
        {"kind": "customer_update", "at": "2026-11-28T11:55:00+08:00", "label": f"customer update ({level}: {customer})"}]
    return calls


CRITICAL = _cadenced("critical", "every 2 hours", "every 2-4 hours (or per SLA)")
MEDIUM = _cadenced("medium", "daily", "every 1-2 business days")


def test_an_update_cadence_longer_than_the_tool_s_is_another_level_s() -> None:
    """A P0 answer on the P1 playbook: '对内每 4 小时通报一次；对客户每 4–8 小时更新一次' against the tool's 2 hours and
    2-4 hours passed, no time being wrong. A stated cadence for one stream may be as often as the tool's or more,
    never less; a cadence with no stream named, or asked of the vendor's case, is not read."""
    slow = "首次响应 10:25 前。\n对内每 4 小时通报一次，下次更新 11:55；对客户每 4–8 小时更新一次。\n"
    status, detail = _deadline(slow, CRITICAL, language="zh")
    assert status == "fail" and "每 4 小时" in detail
    assert _deadline("First response by 10:25.\nInternal updates every 2 hours (next 11:55); customer updates every 2-4 hours.\n", CRITICAL)[0] == "pass"
    assert _deadline("First response by 10:25.\nWar room: internal updates every 30 minutes.\n", CRITICAL)[0] == "pass"
    assert _deadline("First response by 10:25.\nAsk the vendor in the ticket for customer updates every 8 hours.\n", CRITICAL)[0] == "pass"
    assert _deadline("First response by 10:25.\nВнутреннее обновление ежедневно, пользователям — раз в 1–2 рабочих дня.\n", MEDIUM, language="ru")[0] == "pass"
    assert _deadline("First response by 10:25.\nWe update the customer every 3 business days.\n", MEDIUM)[0] == "fail"



# Google P4 on Enhanced: 480 minutes, 24x7; opened 10:00 in Adelaide, due 18:00; at-risk 50% at 14:00.
ADELAIDE_P4 = _sla("2026-12-19T10:00:00+10:30", "Australia/Adelaide", "2026-12-19T18:00:00+10:30",
                   triggers=("2026-12-19T14:00:00+10:30",))


def test_a_due_the_line_s_first_response_leads_to_is_that_response_s() -> None:
    """'P4: **4 hours** first response (480 min). Filed at 10:00 ACDT → **due 14:00 ACDT**': 'due' named 14:00 with no
    commitment word in its sentence, so the unit slip matched the 50% mark and passed. A deadline word that opens its
    phrase, on a line naming the first response with no other time between but the opening, names that response;
    'rollback decision — by 13:00' after the first response's own time does not."""
    slip = "P4 on Enhanced: **4 hours** first response (480 min), unverified. Filed at 10:00 ACDT → **due 14:00 ACDT**.\n"
    assert _deadline(slip, ADELAIDE_P4)[0] == "fail"
    assert _deadline(slip.replace("4 hours", "8 hours").replace("14:00", "18:00"), ADELAIDE_P4)[0] == "pass"
    own = "**Deadline:** first response by **18:00 ACDT**, rollback decision — due 14:00 ACDT.\n"
    assert _deadline(own, ADELAIDE_P4)[0] == "pass"
    entry = "- **Срок:** подтверждение — до **18:00** (дедлайн первого ответа по SLA); решение по откату — до 15:30.\n"
    assert _deadline(entry, ADELAIDE_P4, language="ru")[0] == "pass"



def test_a_status_page_line_that_says_there_is_none_names_it() -> None:
    """'**Страница статуса.** `status_pages`: публичной страницы нет (unverified) — смотрим уведомления консоли. Не
    проверено.': the page word and the negation sit in different sentences of the line the page word labels, so the
    no-public-page answer was not found. Such a line speaks of the page throughout; a line it does not label does not."""
    from escalation_kit.evals.grounding import check_vendor

    calls = [("pick_vendor_support_path", {"vendor": "huawei", "severity": "P0"},
              {"vendor": "huawei", "case_severity": {"name": "Production system unavailable"},
               "status_pages": [{"name": "No public Huawei Cloud status page confirmed; check console notifications"}]})]

    def page(answer: str) -> str:
        tr = engine_transcript("t", "vendor-escalation", "ru", "incident", answer, calls)
        return next(c.status for c in check_vendor(answer, tr) if c.id == "status_page")

    assert page("**Страница статуса.** `status_pages`: публичной страницы нет (unverified) — смотрим уведомления консоли. Не проверено.\n") == "pass"
    assert page("**Уведомления.** Смотрим консоль и страницу статуса. Не проверено.\n") == "fail"


def test_how_to_open_names_the_open_case_item() -> None:
    """'- **How to open:** Console → Support → Cases → Create case' failed item:open_case: the heading list had 'how to
    file' and 'open a case' but not 'how to open'."""
    from escalation_kit.evals.grader import grade_answer

    line = "- **How to open:** Console → Support → Cases → Create case (or Cloud Support API v2 `cases.create`, priority P4).\n"
    short = "P3 question, nothing down. Short version:\n\n- **Case severity:** P4 - Low impact (`P4`), Enhanced assumed.\n" + line
    assert grade_answer(short, "vendor-escalation").item("open_case").passed



# Shanghai, Friday 17:30, four business hours: first response Monday 23 Nov 12:30; an update Monday 13:30.
FRIDAY = _sla("2026-11-20T17:30:00+08:00", "Asia/Shanghai", "2026-11-23T12:30:00+08:00",
              updates=("2026-11-23T13:30:00+08:00",), clock="business")


def test_a_first_response_word_after_the_time_s_joiner_names_it() -> None:
    """'11-20（周五）17:30 收到 → **11-23（周一）13:30** 前须首次响应' (a deadline moved an hour onto an update time)
    passed: the first-response word came after the time. A joiner then the word ties it; 'срок реакции' names the
    first response, across a business window ('09:00–18:00') on the way to its 'дедлайн'."""
    line = "- SLA 状态：正常。目标 4 个工作小时；11-20（周五）17:30 收到 → **11-23（周一）{}** 前须首次响应。\n"
    assert _deadline(line.format("12:30"), FRIDAY, language="zh")[0] == "pass"
    assert _deadline(line.format("13:30"), FRIDAY, language="zh")[0] == "fail"
    ru = "- Срок реакции: рабочие часы 09:00–18:00 → дальше отсчёт с утра: **дедлайн 23.11.2026 {} CST**.\n"
    assert _deadline(ru.format("12:30"), FRIDAY, language="ru")[0] == "pass"
    assert _deadline(ru.format("13:30"), FRIDAY, language="ru")[0] == "fail"



def test_a_preposition_cue_is_no_prefix_of_any_word() -> None:
    """'- разобрать логи — команда разработки; - держать клиента в курсе — поддержка; - кто-нибудь из CSM' met 'gives
    an action with an owner or a due time': the cue words 'к' and 'до' matched as word starts ('курсе', 'кто').
    They count only as due phrases ('к вечеру', 'до конца дня') or beside a time."""
    vague = ("**Действия и ответственные:**\n- разобрать логи report-service — команда разработки;\n"
             "- держать клиента в курсе — поддержка;\n- уточнить историю эскалаций — кто-нибудь из CSM.\n")
    assert not _item(vague, "escalation-workflow", "actions_owners")[0]
    assert _item(vague.replace("команда разработки;", "Иван Петров, к вечеру;"), "escalation-workflow", "actions_owners")[0]
    assert _item(vague.replace("команда разработки;", "Иван Петров, до 09.12 10:40;"), "escalation-workflow", "actions_owners")[0]



def test_a_resolution_plan_of_bare_verbs_names_no_owner_and_no_time() -> None:
    """'### 解决计划 - 尽快提交腾讯云工单 - 跟进腾讯云响应 - 安排与客户 CTO 沟通 - 排查登录服务日志' passed: the coordinator's plan
    item had only headings. It now asks for one action with an owner or a due time, as the workflow's actions do."""
    bare = "### 解决计划\n- 尽快提交腾讯云工单（Production system impacted）\n- 跟进腾讯云响应，必要时打电话\n- 安排与客户 CTO 沟通\n- 排查登录服务日志\n"
    assert not _item(bare, "escalation-coordinator", "resolution_plan")[0]
    owned = bare.replace("- 安排与客户 CTO 沟通", "- 陈总负责与客户 CTO 沟通，11:30 前")
    assert _item(owned, "escalation-coordinator", "resolution_plan")[0]
    assert _item("### Plan\n- File the Azure case — Oleg (SRE), by 15:25.\n- Call the client's director — VP, by 16:00.\n",
                 "escalation-coordinator", "resolution_plan")[0]



ALIBABA = [("classify_severity", {"text": "x"}, {"severity": "P2"}),
           ("pick_vendor_support_path", {"vendor": "alibaba-intl", "severity": "P2"},
            {"vendor": "alibaba-intl", "case_severity": {"name": "Regular", "api_code": "1"}})]


def test_a_command_that_files_another_level_than_the_prose_is_caught() -> None:
    """'Open a Regular ticket … via the API right away:' then 'aliyun workorder CreateTicket … --Severity 2' (Emergency)
    passed: only level names were read. A severity flag in a command (--Severity 2, Severity=2, --severity-code x) that
    files another API code than the tool's fails, unless its own line names that level in words (an override said
    out loud); a quoted tool result ('"severity": "P2"') is not a flag."""
    prose = "Open a **Regular** ticket from the international console, or via the API:\n\n"
    cmd = "aliyun workorder CreateTicket --CategoryId <id> --Title \"OSS 503\" --Severity {}\n"
    status, detail = _case_level(prose + cmd.format(2), ALIBABA)
    assert status == "fail" and "--severity 2" in detail
    assert _case_level(prose + cmd.format(1), ALIBABA)[0] == "pass"
    assert _case_level(prose + "API: `CreateTicket Severity=1`.\n", ALIBABA)[0] == "pass"
    assert _case_level(prose + '{"severity": "2", "decided_by": "B-degraded"}\n', ALIBABA)[0] == "pass"



def test_exit_criteria_that_declare_the_escalation_over_fail() -> None:
    """'Эскалацию можно считать снятой уже сейчас … тикет переведён в «Решён»', '条件已满足…本次升级可以解除', 'this is already
    effectively de-escalated … we've marked the escalation as resolved' passed as exit criteria: they hold the
    cue words (закрыт, 解除, resolved). A condition for later is the item; a declaration that it is met now is not.
    A condition that mentions closing ('когда клиент подтвердил … вопрос закрыт') still passes."""
    over = "## Критерии деэскалации\nЭскалацию можно считать снятой уже сейчас: повтор проходит. Тикет переведён в «Решён».\n"
    passed, reason = _item(over, "escalation-workflow", "deescalation")
    assert not passed and "already over" in reason
    assert not _item("## 降级条件\n条件已满足：门店可以改用网页版登录，因此本次升级可以解除，转为普通工单跟进。\n", "escalation-workflow", "deescalation")[0]
    assert not _item("**Follow-up cadence:** chase engineering daily. This is already effectively de-escalated — we've marked the escalation as resolved.\n",
                     "escalation-brief", "follow_up")[0]
    assert _item("## Критерии деэскалации\n- Клиент подтвердил, что инструкция понятна и вопрос закрыт; тикет закрывает Орлова.\n",
                 "escalation-workflow", "deescalation")[0]



def test_the_people_a_business_serves_are_who_is_affected() -> None:
    """'«УралТрансЛогистик», трекинг недоступен всем водителям с 09:40': drivers, couriers, staff and stores are the
    affected people of a logistics or retail customer, as users are; the impact item failed its 'who is affected'."""
    drivers = "**Оценка влияния.** «УралТрансЛогистик», трекинг недоступен всем водителям с 09:40; под угрозой договор.\n"
    assert _item(drivers, "escalation-coordinator", "impact")[0]
    assert _item("**客户影响**：华北地区门店的收银员无法登录，司机端正常。\n", "escalation-coordinator", "impact")[0]
    assert not _item("**Оценка влияния.** Трекинг недоступен с 09:40, причина неизвестна.\n", "escalation-coordinator", "impact")[0]



def test_a_table_row_labelled_with_a_response_target_holds_its_due() -> None:
    """'| Ответ Azure: 240 мин (не подтверждено) | Azure / Олег Н. | 20:10 |' (the due moved an hour onto an update
    time) passed: the label cell names a response and its duration, not 'first response'. Such a row's one time is
    that response's due; a no-response trigger row is not."""
    row = "| Ответ Azure: 240 мин (не подтверждено; считаем 24x7) | Azure / Олег Н. | {} |\n"
    table = "| Что | Кто | Когда |\n|---|---|---|\n"
    assert _deadline(table + row.format("19:10"), NOVOSIBIRSK, language="ru")[0] == "pass"
    assert _deadline(table + row.format("16:10"), NOVOSIBIRSK, language="ru")[0] == "fail"
    trigger = "| Нет ответа 60 мин → звонок аккаунт-менеджеру | VP | 16:10 |\n"
    assert _deadline(table + row.format("19:10") + trigger, NOVOSIBIRSK, language="ru")[0] == "pass"
