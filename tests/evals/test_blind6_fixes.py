# ruff: noqa: E501  (the answer lines are prose; wrapping them would change what is graded)
"""The disagreement classes the sixth blind set (evals/suites/blind6, stop 20) showed, one test each.

The blind set is graded by ``escalation-kit eval calibrate --suite blind6``; these tests pin the mechanisms with
lines written for them, against small tool results built here.
"""

from __future__ import annotations

from escalation_kit.evals.build import engine_transcript
from grading_support import deadline as _deadline
from grading_support import sla_calls as _sla

# A Saturday-evening case in Shanghai: first response 22:05 (30 min), at-risk marks 21:50 and 21:57, update 23:35.
SHANGHAI = _sla("2026-12-19T21:35:00+08:00", "Asia/Shanghai", "2026-12-19T22:05:00+08:00",
                updates=("2026-12-19T23:35:00+08:00",),
                triggers=("2026-12-19T21:50:00+08:00", "2026-12-19T21:57:00+08:00"), target_minutes=30)


def test_a_full_width_semicolon_ends_a_first_response_s_pairing() -> None:
    """NFKC turns '；' into ';' with no space after it, so '首次响应（30 分钟）；支持经理：23:35 无响应…' bound 23:35 to the
    first response; a semicolon ends the pairing with or without a space."""
    answer = "协调人：22:05 前盯厂商首次响应（30 分钟）；支持经理：23:35 无响应则找客户经理。\n"
    assert _deadline(answer, SHANGHAI)[0] == "pass"
    assert _deadline("首次响应截止 23:35。\n", SHANGHAI)[0] == "fail"


def test_a_time_in_a_bracketed_aside_after_the_first_response_is_a_mark_on_the_way() -> None:
    """'22:05 前应有首次响应（21:50 用掉 50%，21:57 用掉 75%）': the at-risk marks in the bracket are tool times, not the due;
    a bracket that holds only the due still binds it."""
    answer = "按内部目标 30 分钟跟踪：**22:05** 前应有首次响应（21:50 用掉 50%，21:57 用掉 75%）。\n"
    assert _deadline(answer, SHANGHAI)[0] == "pass"
    assert _deadline("首次响应（21:50 前）。\n", SHANGHAI)[0] == "fail"


# A Sunday-morning case in Adelaide (ACDT, UTC+10:30): internal response 09:15, update 10:45.
ADELAIDE = _sla("2026-12-06T08:45:00+10:30", "Australia/Adelaide", "2026-12-06T09:15:00+10:30",
                updates=("2026-12-06T10:45:00+10:30",))


def test_an_australian_zone_abbreviation_names_its_own_zone() -> None:
    """'09:15 AEDT' in an Adelaide case was read in the tool's zone (AEDT was no alias): it is Sydney time, half an
    hour off; ACDT, the tool zone's own abbreviation, and the Sydney clock for the same instant pass."""
    assert _deadline("Internal response due **09:15 ACDT**.\n", ADELAIDE)[0] == "pass"
    assert _deadline("Internal response due **09:15 AEDT (Sydney)**.\n", ADELAIDE)[0] == "fail"
    assert _deadline("Internal response due **09:45 AEDT**.\n", ADELAIDE)[0] == "pass"


# A Singapore case on Alibaba's international site: 60-minute internal target (11:05), no vendor figure, the
# account manager after 4 hours (14:05).
SINGAPORE = _sla("2026-11-26T10:05:00+08:00", "Asia/Singapore", "2026-11-26T11:05:00+08:00",
                 updates=("2026-11-26T14:05:00+08:00",), target_minutes=60) + [
    ("pick_vendor_support_path", {"vendor": "alibaba-intl", "severity": "P1"},
     {"vendor": "alibaba-intl", "plan": "business",
      "case_severity": {"name": "Emergency", "api_code": "2", "response_minutes": None}})]


def test_a_response_target_the_tools_never_returned_fails_the_deadline_check() -> None:
    """'Alibaba commits to a 15-minute first response for Emergency tickets' passed: no stated time was wrong, but the
    duration is a plan's the tool never named (it returned no vendor figure and a 60-minute internal target)."""
    first = "Internal first response due 11:05 SGT."
    status, detail = _deadline(f"{first} On the Business plan Alibaba commits to a **15-minute first response for Emergency tickets**.\n", SINGAPORE)
    assert status == "fail" and "15-minute" in detail
    assert _deadline("Наш внутренний срок 11:05. Alibaba обязан ответить в течение 15 минут.\n", SINGAPORE)[0] == "fail"
    assert _deadline("内部目标 11:05。阿里云承诺 15 分钟内首次响应。\n", SINGAPORE)[0] == "fail"
    # the tool's own target, a tier of the routing policy, an escalation trigger, a typical figure, time left: no target
    assert _deadline(f"{first} We track our internal 60-minute first-response target.\n", SINGAPORE)[0] == "pass"
    assert _deadline(f"{first} Tier 2 responds within 2 h.\n", SINGAPORE)[0] == "pass"
    assert _deadline(f"{first} No response after 4 hours: call the account manager.\n", SINGAPORE)[0] == "pass"
    assert _deadline(f"{first} The chat usually replies within 5 minutes.\n", SINGAPORE)[0] == "pass"
    assert _deadline(f"{first} 45 min remaining to the first response.\n", SINGAPORE)[0] == "pass"


def test_a_duration_pattern_reads_a_long_padded_line_in_one_pass() -> None:
    """The duration pattern runs on every clause of an answer: a line padded with 5,000 spaces, dashes or digits is
    read in one pass (the suite's timeout would stop a hang), and no padding joins a number to a unit."""
    from escalation_kit.evals.grounding import _DURATION

    for pad in (" " * 5000, "-" * 5000, "1" * 5000):
        assert _DURATION.search(f"first response 15{pad}x") is None
        assert _DURATION.search(f"first response 15{pad}minutes") is None
    assert _DURATION.search("1 " * 2500 + "x") is None
    assert _deadline("Internal first response due 11:05 SGT.\nfirst response 15 minutes" + " " * 5000 + "x\n", SINGAPORE)[0] == "fail"


# A P0 in Kolkata: first response 14:50, the account manager call at 16:20 (a tool time too), update 16:20.
KOLKATA = _sla("2026-11-19T14:20:00+05:30", "Asia/Kolkata", "2026-11-19T14:50:00+05:30",
               updates=("2026-11-19T16:20:00+05:30",), triggers=("2026-11-19T16:20:00+05:30",))


def test_must_respond_by_names_the_first_response() -> None:
    """'AWS must respond by 16:20 IST' passed because 16:20 is a tool time (the account-manager call): what the vendor
    must respond by is the first response, and only its due counts there."""
    assert _deadline("3. AWS must respond by **16:20 IST**; if not, the coordinator asks for a manager.\n", KOLKATA)[0] == "fail"
    assert _deadline("3. AWS must respond by **14:50 IST**; if not, call the account manager at 16:20 IST.\n", KOLKATA)[0] == "pass"
    assert _deadline("Yandex Cloud обязан ответить до 16:20.\n", KOLKATA)[0] == "fail"


def _item(answer: str, skill: str, item_id: str) -> tuple[bool, str]:
    from escalation_kit.evals.grader import grade_answer

    got = grade_answer(answer, skill).item(item_id)
    return got.passed, got.reason or ""


def test_a_notification_or_update_plan_of_stock_phrases_is_filler() -> None:
    """'Relevant stakeholders will be notified through the appropriate channels as per the escalation policy' and
    '我们会尽快通知客户，有进展随时同步' passed as a notification / communication plan: they name no one and no channel."""
    hollow = "## Notifications\nRelevant stakeholders will be notified through the appropriate channels as per the escalation policy.\n"
    passed, reason = _item(hollow, "escalation-workflow", "notifications")
    assert not passed and "filler" in reason
    real = "## Notifications\n- Director + VP: phone, AU East checkout down.\n- On-call DBA: PagerDuty.\n"
    assert _item(real, "escalation-workflow", "notifications")[0]
    assert not _item("**客户沟通：** 我们会尽快通知客户，有进展随时同步。\n", "escalation-coordinator", "communication")[0]
    assert not _item("**Коммуникация с клиентом:** заинтересованные стороны будут уведомлены по соответствующим каналам.\n",
                     "escalation-coordinator", "communication")[0]
    assert _item("**客户沟通：** 支持经理现在发公告，下次更新 01:50（北京时间）。\n", "escalation-coordinator", "communication")[0]


def test_a_restoration_time_promised_to_the_customer_fails() -> None:
    """'login will be fully restored by 15:30 IST today' in the customer message passed: no tool computes a restoration
    time, and none can be promised before the fix is known. An update time, a condition or a refusal is no promise."""
    from escalation_kit.evals.grounding import check_promise

    def fails(text: str) -> bool:
        return any(c.status == "fail" for c in check_promise(text))

    assert fails('> Sign-in is failing. **Login will be fully restored by 15:30 IST today.** Next update: 16:20 IST.\n')
    assert fails("> Доступ будет восстановлен к 15:30 МСК.\n")
    assert fails("> 我们将于 15:30 前恢复登录服务。\n")
    assert not fails("> Next update at 16:20 IST, or sooner once login is restored.\n")
    assert not fails("> We cannot promise a restoration time yet; next update 16:20 IST.\n")
    assert not fails("- Что обещано клиенту: обновление до 13:15 (или раньше при восстановлении).\n")
    assert not fails("| 恢复下单 | SRE | 15:30 |\n")


def test_a_failure_placed_in_a_region_the_incident_never_names_fails() -> None:
    """'в зоне ru-central1-a не работает' for a ru-central1-b incident, and 'CDN 5xx in cn-hangzhou' as evidence in an
    ap-southeast-1 database case, passed: the facts were quietly changed, or belong to another incident. A healthy
    region compared, a move planned, a question, or an incident that names no region identifier is not checked."""
    from escalation_kit.evals.grounding import check_regions

    def status(incident: str, answer: str) -> str | None:
        tr = engine_transcript("t", "incident-triage", "ru", incident, answer, SINGAPORE)
        got = check_regions(answer, tr)
        return got[0].status if got else None

    ru = "С 17:20 в зоне ru-central1-b боевой сервис оплаты не работает, клиенты не могут оплатить заказы."
    assert status(ru, "**P1**: в зоне **ru-central1-a** не работает боевой сервис оплаты.\n") == "fail"
    assert status(ru, "**P1**: в зоне **ru-central1-b** не работает оплата.\n- Можно ли перевести мастер в ru-central1-a?\n") == "pass"
    assert status(ru, "P1: в ru-central1-b таймауты; ru-central1-a работает штатно.\n") == "pass"
    en = "Since 09:50 the production RDS MySQL instance in ap-southeast-1 refuses new connections."
    assert status(en, "- CloudMonitor: OSS 4xx/5xx rates and CDN bandwidth in cn-hangzhou\n") == "fail"
    assert status(en, "- Same flow through eu-west-1 succeeds.\n") == "pass"
    assert status("杭州地域 RDS 主库宕机，所有用户无法下单。", "cn-hangzhou 的 RDS 主库宕机，无法下单。\n") is None
    assert status(en, "eu-" + "a" * 5000 + " down\n" + "eu-west-" + " " * 5000 + "1 down\n") is None  # one pass, no id


def test_a_status_page_said_to_show_the_incident_needs_its_check_time() -> None:
    """'根因已明确…健康看板 status.aliyun.com 上有对应公告' passed: a page claimed to show the incident is as unverified as a
    page claimed green when no one says when it was read."""
    from escalation_kit.evals.grounding import check_vendor

    calls = [("pick_vendor_support_path", {"vendor": "alibaba-cn"},
              {"vendor": "alibaba-cn", "status_pages": [{"name": "阿里云健康看板", "url": "https://status.aliyun.com/"}]})]

    def status_check(answer: str) -> str:
        tr = engine_transcript("t", "alibaba-cloud-triage", "zh", "incident", answer, calls)
        return next(c.status for c in check_vendor(answer, tr) if c.id == "status_page")

    assert status_check("### 状态页检查\n阿里云已确认，健康看板 status.aliyun.com 上有对应公告，属于平台侧问题。\n") == "fail"
    assert status_check("### 状态页检查\n21:40 查看健康看板 status.aliyun.com：有对应公告（杭州 RDS）。\n") == "pass"
    assert status_check("### Status page\nThe status page status.aliyun.com confirms the outage.\n") == "fail"
    assert status_check("### 状态页检查\n尚未查看 status.aliyun.com，DBA 查看后记录。\n") == "pass"


ALIBABA_CN_REGULAR = [("pick_vendor_support_path", {"vendor": "alibaba-cn", "severity": "P3"},
                       {"vendor": "alibaba-cn", "case_severity": {"name": "普通 (regular)", "api_code": "1"}})]


def _vendor_severity(answer: str, skill: str) -> str | None:
    from escalation_kit.evals.grounding import grounding_checks
    from escalation_kit.skillpack.contracts import load_contract

    tr = engine_transcript("t", skill, "zh", "incident", answer, ALIBABA_CN_REGULAR)
    return next((c.status for c in grounding_checks(answer, tr, load_contract(skill)) if c.id == "vendor_severity"), None)


def test_a_brief_that_files_no_vendor_case_is_not_asked_for_its_severity() -> None:
    """An escalation brief that keeps a how-to question in support files no vendor case (its skill never calls the
    vendor tool) and says why ('咨询，非缺陷', '留在支持处理'): 'vendor case severity not stated' failed it. A severity it
    does state is still checked; a brief that gives no reason, and a triage answer (whose skill files the case), must
    still state it."""
    kept = "**摘要与升级对象**：咨询 · P3 · 留在支持处理（咨询，非缺陷），文档缺口抄送产品。\n"
    assert _vendor_severity(kept, "escalation-brief") is None
    assert _vendor_severity(kept + "厂商工单：紧急。\n", "escalation-brief") == "fail"
    assert _vendor_severity(kept, "incident-triage") == "fail"
    # a brief that says nothing of why it files no case (a hollow one) is still asked for the severity
    assert _vendor_severity("### 1. Summary and target\nWe are looking into this.\n", "escalation-brief") == "fail"


def test_a_chinese_negation_before_a_vendor_level_rejects_it() -> None:
    """'不作为紧急升级' (not as an urgent escalation) and '无紧急期限' were read as filing 紧急."""
    kept = "**决定：留在支持团队处理。** 不是缺陷；文档缺失部分抄送产品作为改进建议，不作为紧急升级；产品无紧急期限。\n"
    assert _vendor_severity(kept, "escalation-brief") is None
    assert _vendor_severity(kept + "厂商工单级别：普通。\n", "incident-triage") == "pass"


def test_an_english_case_text_in_a_block_quote_is_no_language_switch() -> None:
    """A Russian answer quoting its English case text with '>' (as a fenced block already was) failed check:language;
    the same English written as the answer's own prose still switches language."""
    from escalation_kit.evals.langcheck import off_language_paragraphs

    case = ("> **S3 eu-central-1: about 10% of requests get 503 SlowDown since 18:20 MSK**\n"
            "> Since 15:20 UTC about 10% of the PUT and GET requests return 503; retries mostly succeed for the app.\n"
            "> Ask: confirm whether there is throttling on the bucket, and send an update every 4 hours.\n")
    answer = "## Текст обращения\n" + case + "\nОбращение пишем на английском.\n"
    assert off_language_paragraphs(answer, "ru") == []
    assert off_language_paragraphs(answer.replace("> ", ""), "ru") != []
    assert off_language_paragraphs(">" + " " * 5000 + "x\n" + " " * 5000 + "y", "ru") == []


def test_labelled_bullets_under_a_post_title_that_names_an_item_are_the_sections() -> None:
    """':large_yellow_circle: **CSV export timeouts — triage**' reads as the classification heading ('triage'), and the
    six '• **Label:**' bullets under it were taken as its detail: five items went unfound. Bullets naming three or more
    other items make the line a title; bullets that name its own item ('Type', 'Severity', 'Tier') stay its detail."""
    from escalation_kit.evals.grader import read_items
    from escalation_kit.skillpack.contracts import load_contract

    post = (":large_yellow_circle: **CSV export timeouts — triage**\n\n"
            "• **Severity:** P2 — the admin CSV export times out for large accounts.\n"
            "• **Status page:** no cloud vendor; provider status not verified yet.\n"
            "• **Evidence (while we mitigate):** export route logs, APM p99, DB slow queries.\n"
            "• **Escalation / SLA:** internal only; first response due Mon 11:00 AM NST.\n"
            "• **Comms:** this thread; internal daily, next Sun 10:20 AM.\n"
            "• **Open questions:** how many accounts are hit? (support)\n")
    _, owner = read_items(post, load_contract("incident-triage"))
    assert {"status_page", "evidence", "escalation_sla", "communication", "open_questions"} <= set(owner)
    level = ("## Escalation type and level\n- **Type:** technical escalation to the vendor.\n"
             "- **Severity:** P0 (B-total-outage).\n- **Tier:** Tier 3 → vendor.\n- **Executive level:** 4 – VP.\n")
    secs, owner = read_items(level, load_contract("escalation-coordinator"))
    assert owner.count("escalation_level") == 1 and len(secs) == 2


def test_chinese_tables_and_terse_bullets_name_their_items() -> None:
    """Chinese and terse shapes the labels passed: '华为云无已确认的公开状态页' says there is no confirmed page (as
    '没有经确认' did); '- **工单**：…' is the ticket item; '**What goes in it:**' is the case text. A numbered open
    question that mentions a ticket ('1. 切换失败的原因？——DBA + 阿里云工单') stays an open question."""
    from escalation_kit.evals.grader import read_items
    from escalation_kit.evals.grounding import _says_no_public_page
    from escalation_kit.skillpack.contracts import load_contract

    assert _says_no_public_page("| 状态页检查 | 华为云无已确认的公开状态页；需看控制台通知——**尚未核实** |\n")
    _, owner = read_items("- **分级**：P0。\n- **工单**：现在提 紧急 工单（Severity=2），内部目标 22:05。\n",
                          load_contract("alibaba-cloud-triage"))
    assert "escalation_sla" in owner
    _, owner = read_items("**Severity to file:** P1.\n\n**What goes in it:**\n- instance `orders-pg-prod`, asia-south1\n",
                          load_contract("vendor-escalation"))
    assert "case_text" in owner
    questions = "## 待解决问题\n\n1. 主实例宕机和切换失败的原因？——DBA + 阿里云工单\n2. 是否有数据丢失？——订单负责人\n"
    _, owner = read_items(questions, load_contract("alibaba-cloud-triage"))
    assert owner[1:] == ["open_questions"]


def test_an_expected_restoration_time_told_to_customers_is_a_promise() -> None:
    """'工程师已定位问题，预计 03:00 前全部恢复' in the customer notice passed: an ETA given to customers is a promise; the
    customer's own expectation ('客户预期：08:00 前恢复') is not."""
    from escalation_kit.evals.grounding import check_promise

    assert check_promise("> 尊敬的用户：工程师已定位问题，**预计 03:00 前全部恢复**。\n")
    assert not check_promise("- **客户预期：** 用户希望早上高峰（约 08:00）前恢复下单。\n")
    assert check_promise("> We expect login to be restored by 15:30 IST.\n")


def test_a_timeline_that_files_the_case_before_the_incident_began_fails() -> None:
    """'13:35 — AWS case filed', '13:40 — war room opened' for an outage 'since 14:05 IST' passed: a response action
    timed before the onset the incident states contradicts it. A precursor (a deploy) or a dated entry is not checked."""
    from escalation_kit.evals.grounding import check_timeline

    def fails(answer: str) -> bool:
        tr = engine_transcript("t", "escalation-coordinator", "en", "Login returns 503 for all users since 14:05 IST.",
                               answer, KOLKATA)
        return any(c.status == "fail" for c in check_timeline(answer, tr))

    assert fails("**Escalation timeline (IST)**\n- 13:35 — AWS case filed at Business-critical system down\n- 14:05 — first reports\n")
    assert fails("| 13:40 | war room opened |\n")
    assert not fails("- 13:30 — deploy of auth v2.3\n- 14:05 — 503s begin\n- 14:20 — AWS case filed\n")
    assert not fails("- Mon 13:35 — an earlier AWS case filed about a different issue\n")


def test_a_table_row_labelled_first_response_binds_its_only_time() -> None:
    """'| 腾讯云首次响应目标 30 分钟（…未说明，按 7x24 计） | 升级协调人跟进 | **23:20** |' was not checked: the first-response
    words sit in the label cell, a comma in its note ended the pairing, the time sits in another cell. A row whose only
    time is outside its label is that label's time; a row with several times ('16:20 提交 → 20:20 截止') is read as
    before."""
    rows = ("首次响应截止 22:05。\n\n| 行动 | 负责人 | 截止 |\n|---|---|---|\n"
            "| 腾讯云首次响应目标 30 分钟（是否 7x24 厂商未说明，按 7x24 计） | 升级协调人跟进 | **{t}** |\n")
    assert _deadline(rows.format(t="22:05"), SHANGHAI)[0] == "pass"
    status, detail = _deadline(rows.format(t="22:35"), SHANGHAI)  # an hour later than the due: no tool time at all
    assert status == "fail" and "22:35" in detail
    several = "| **首次响应** | 30 分钟；21:35 提交 → **22:05** 截止，21:50 预警 |\n"
    assert _deadline(several, SHANGHAI)[0] == "pass"


def test_a_planned_fix_is_no_restoration_promise() -> None:
    """The team's own plan for a fix ('the fix will be deployed by 15:00', '修复补丁将于 15:00 发布', '将于 15:00 前给出解决方案')
    names no time the service is back."""
    from escalation_kit.evals.grounding import check_promise

    assert not check_promise("- The fix will be deployed by 15:00 IST (SRE lead).\n")
    assert not check_promise("- 修复补丁将于 15:00 发布（研发）。\n")
    assert not check_promise("- 研发将于 15:00 前给出解决方案。\n")


def test_a_timeline_entry_in_another_zone_is_not_compared_with_the_onset() -> None:
    """'09:05 (UTC) — AWS case filed' for an outage 'since 10:00 CET' is 10:05 CET, after the onset: an entry that names
    a zone other than the incident's is left alone; one in the incident's zone is still compared."""
    from escalation_kit.evals.grounding import check_timeline

    def fails(answer: str) -> bool:
        tr = engine_transcript("t", "escalation-coordinator", "en", "Checkout returns 503 since 10:00 CET.", answer, KOLKATA)
        return any(c.status == "fail" for c in check_timeline(answer, tr))

    assert not fails("- 09:05 (UTC) — AWS case filed\n")
    assert fails("- 09:05 (CET) — AWS case filed\n")
    assert fails("- 09:05 — AWS case filed\n")
