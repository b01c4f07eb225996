# ruff: noqa: E501  (the answer lines are prose; wrapping them would change what is graded)
"""The false-fail classes the blind answer set (evals/suites/blind1, stop 16) showed, one test each.

The blind set itself is graded by ``escalation-kit eval calibrate --suite blind1``; these tests pin the
mechanisms with lines written for them, against the AWS snapshot of test_content_regression (opened 14:00
UTC, first response 15:00, updates 18:00 and 22:00, checkpoints 14:15, 14:30, 14:45).
"""

from __future__ import annotations

from escalation_kit.evals.build import engine_calls, engine_transcript
from escalation_kit.evals.grounding import assigned_level, check_deadlines
from escalation_kit.evals.markdown import split_sections
from evals.test_content_regression import AWS_CALLS, YC_CALLS


def _deadline(answer: str, calls=AWS_CALLS) -> tuple[str, str]:
    tr = engine_transcript("t", "incident-triage", "en", "incident", answer, calls)
    got = check_deadlines(answer, tr)
    return got[0].status, got[0].detail


def test_an_action_time_the_team_sets_is_not_a_tool_deadline() -> None:
    plan = "First response due 15:00 UTC.\n- @db-oncall - roll back the schema change - 16:10 UTC\n"
    assert _deadline(plan)[0] == "pass"
    # a customer update later than the tool's first (18:00) misses it; one sooner keeps a tighter cadence (blind9)
    wrong = "First response due 15:00 UTC.\n- next customer update at 18:10 UTC\n"
    status, detail = _deadline(wrong)
    assert status == "fail" and "18:10" in detail


def test_each_time_reads_the_zone_written_after_it() -> None:
    dual = "First response due 23:00 北京时间 (= 15:00 UTC).\n"
    assert _deadline(dual)[0] == "pass"
    assert _deadline("First response due 23:30 北京时间 (= 15:30 UTC).\n")[0] == "fail"


def test_a_timeline_before_the_opening_is_history_but_a_next_night_time_is_checked() -> None:
    timeline = "First response due 15:00 UTC.\n13:10 UTC errors start -> 13:40 UTC escalated to the vendor\n"
    assert _deadline(timeline)[0] == "pass"
    night = "First response due 15:00 UTC.\nEscalation to the TAM at 01:30 UTC if no answer.\n"  # 11.5 h after
    assert _deadline(night)[0] == "fail"


def test_a_first_response_label_pairs_across_a_comma_when_an_arrow_leads_to_the_time() -> None:
    moved = "- **First response deadline:** 60 min, 24x7 → **18:00 UTC**\n"  # 18:00 is an update time, not the due
    assert _deadline(moved)[0] == "fail"
    assert _deadline(moved.replace("18:00", "15:00"))[0] == "pass"


def test_a_russian_city_time_zone_is_read() -> None:
    calls = [c if c[0] != "compute_sla_deadlines" else (c[0], c[1], {**c[2], "timezone": "Asia/Novosibirsk"})
             for c in YC_CALLS]
    answer = "Первый ответ до 22:05 по Новосибирску (18:05 МСК).\n"  # Novosibirsk is MSK+4
    assert _deadline(answer, calls)[0] == "pass"


def test_a_level_in_a_conditional_clause_is_not_the_assigned_one() -> None:
    assert assigned_level("**P1** - checkout fails for 30 %. It would rise to P0 if every region fails.")[0] == "P1"
    assert assigned_level("**P1 (высокий).** Что подняло бы до P0: отказ у всех.")[0] == "P1"
    assert assigned_level("**P1**。如果扩大到所有地域，则升级为 P0。")[0] == "P1"
    assert assigned_level("严重级别：P0（紧急），规则 B-total-outage，若干用户受影响。")[0] == "P0"  # 规则, 若干: not conditionals
    assert assigned_level("Severity: P0, confirmed for all users.")[0] == "P0"


def test_chat_style_labels_are_headings() -> None:
    text = ("1️⃣ **Case severity** — Critical issue\n:arrow_up: **Status page** — not checked yet\n"
            "1）**影响评估**：三成用户\n- **Evidence:** VPC flow logs\nplain line\n")
    titles = [s.title for s in split_sections(text, accept_weak=lambda t: t == "evidence")]
    assert titles == ["", "case severity", "status page", "影响评估", "evidence"]
    assert [s.title for s in split_sections("- **note:** just a bullet\n", accept_weak=lambda t: False)] == [""]


def test_tier_skills_also_time_the_tier_target() -> None:
    args = ("Checkout API down for everyone in production", "2026-11-20T14:00:00+00:00", "UTC")
    plain = [name for name, _, _ in engine_calls(*args, skill="incident-triage")]
    tiered = engine_calls(*args, skill="escalation-workflow")
    assert plain.count("compute_sla_deadlines") == 1
    sla = [(a, r) for name, a, r in tiered if name == "compute_sla_deadlines"]
    assert len(sla) == 2 and sla[1][0]["policy"] == "workflow-tiers" and sla[1][0]["tier"] == 4
    assert sla[1][1]["first_response_due"] == "2026-11-20T14:30:00Z"


def test_a_one_character_chinese_filler_is_only_filler_alone() -> None:
    """无 (none) and 略 (omitted) as a whole body are filler; inside 无法 (cannot) or 策略 (policy) they are not,
    so a Chinese sentence with them no longer reads as filler."""
    from escalation_kit.evals.markdown import normalize
    from escalation_kit.evals.substance import _filler_hit

    assert _filler_hit(normalize("无。")) and _filler_hit(normalize("略"))
    assert not _filler_hit(normalize("重启应用无效，跳板机直连超时，所有用户无法登录"))
    assert not _filler_hit(normalize("按降级策略切换到备用集群"))


def test_a_green_status_page_needs_the_time_it_was_checked() -> None:
    from escalation_kit.evals.grounding import check_vendor
    from evals.test_grounding import VENDOR, tr

    def status(text: str) -> str:
        return next(c.status for c in check_vendor(text, tr(pick_vendor_support_path=VENDOR)) if c.id == "status_page")

    assert status("AWS Health Dashboard: all services operational, so it is on our side.") == "fail"
    assert status("Checked the AWS Health Dashboard at 14:05 UTC: no incident posted.") == "pass"
    assert status("AWS Health Dashboard not checked yet; we will post what it shows.") == "pass"


def test_where_the_catalog_confirms_no_public_page_saying_so_answers_the_item() -> None:
    from escalation_kit.evals.grounding import check_vendor
    from evals.test_grounding import tr

    none = {"vendor": "huawei", "status_pages": [{"name": "No public status page confirmed; check console notices",
                                                 "url": "", "unverified": True}]}
    got = check_vendor("华为云没有经确认的公开状态页，请查看控制台消息通知。", tr(pick_vendor_support_path=none))
    assert [c.status for c in got if c.id == "status_page"] == ["pass"]
    got = check_vendor("请尽快提交工单。", tr(pick_vendor_support_path=none))
    assert [c.status for c in got if c.id == "status_page"] == ["fail"]


def test_numbered_bold_labels_ending_in_a_full_stop_are_headings() -> None:
    text = "1. **Суть и адресат.** Периодические 500 при выгрузке.\n2. **Влияние.** Несколько бухгалтеров.\n"
    assert [s.title for s in split_sections(text)][1:] == ["суть и адресат", "влияние"]
    assert [s.title for s in split_sections("**Do not restart the database.** Then check logs.\n")] == [""]


def test_short_items_that_together_say_something_are_not_filler() -> None:
    from evals.test_content_regression import EN, grade, item

    terse = EN.replace("## Open questions", "## Open questions\nwhy the pool ran dry; whether retries help; churn risk is high.\n\n## Spare")
    assert item(grade(terse, AWS_CALLS), "open_questions").passed
    hollow = EN.replace("## Open questions", "## Open questions\nTBD; to follow.\n\n## Spare")
    assert not item(grade(hollow, AWS_CALLS), "open_questions").passed


def test_an_unchecked_green_claim_fails_even_where_the_skill_asks_for_no_status_item() -> None:
    from escalation_kit.evals.grounding import check_vendor
    from evals.test_grounding import VENDOR, tr

    claim = "AWS Health Dashboard shows all services operational, so the fault is ours."
    got = check_vendor(claim, tr(pick_vendor_support_path=VENDOR), want_status_page=False)
    assert [(c.id, c.status) for c in got if c.id == "status_page"] == [("status_page", "fail")]
    quiet = check_vendor("File the case now.", tr(pick_vendor_support_path=VENDOR), want_status_page=False)
    assert [c.id for c in quiet if c.id == "status_page"] == []


def _chicago_calls() -> list:
    sla = {"severity": "P1", "opened_at": "2026-12-02T14:35:00-06:00", "timezone": "America/Chicago",
           "first_response_due": "2026-12-02T15:35:00-06:00", "internal_due": "2026-12-02T15:05:00-06:00",
           "updates": [{"kind": "customer_update", "at": "2026-12-02T16:35:00-06:00"}], "escalation_triggers": []}
    return [("classify_severity", {"text": "x"}, {"severity": "P1"}), ("compute_sla_deadlines", {"severity": "P1"}, sla)]


def test_blind2_classes_cst_in_a_chicago_case_and_the_internal_first_response() -> None:
    """blind2 (stop 16, read after its one scoring): 'CST' about a Chicago case is Central time, not China's;
    our tighter internal first-response target is a first response the tool computed; yesterday's time is
    history; a bare 'deadline' on an ask is the team's own."""
    calls = _chicago_calls()
    assert _deadline("Vendor first response due 15:35 CST; ours is tighter: first response by 15:05 CST.\n",
                     calls)[0] == "pass"
    assert _deadline("First response due 15:35 CST.\nLast update yesterday 16:00 CST: still failing.\n",
                     calls)[0] == "pass"
    assert _deadline("First response due 15:35 CST.\nDeadline for the fix plan: 17:10 CST.\n", calls)[0] == "pass"
    assert _deadline("First response due 16:35 CST.\n", calls)[0] == "fail"


def test_a_labelled_bullet_under_an_item_heading_stays_that_item_s_detail() -> None:
    """blind2: '- **Серьёзность тикета:** …' under '## Тикет и контроль SLA' is the SLA item's detail, not a
    classification heading that would leave the SLA section empty; at the top level such bullets are headings."""
    names = {"sla", "severity", "status page"}
    nested = "## SLA\n- **Severity:** Sev A\n- **Status page:** not checked\n"
    assert [s.title for s in split_sections(nested, accept_weak=lambda t: t in names)] == ["", "sla"]
    flat = "- **Severity:** Sev A\n- **Status page:** not checked\n"
    assert [s.title for s in split_sections(flat, accept_weak=lambda t: t in names)] == ["", "severity", "status page"]


def test_blind3_the_tool_zone_s_own_abbreviation_names_it_even_when_the_table_lacks_it() -> None:
    """blind3 (stop 17, read after its one scoring): 'IST' about a Kolkata case is India time (the alias table
    has no IST, so '02:05 IST (20:35 UTC)' read 02:05 as UTC); a wrong IST time still fails."""
    sla = {"severity": "P0", "opened_at": "2026-11-21T01:35:00+05:30", "timezone": "Asia/Kolkata",
           "first_response_due": "2026-11-21T02:05:00+05:30",
           "updates": [{"kind": "customer_update", "at": "2026-11-21T03:35:00+05:30"}], "escalation_triggers": []}
    calls = [("classify_severity", {"text": "x"}, {"severity": "P0"}), ("compute_sla_deadlines", {"severity": "P0"}, sla)]
    assert _deadline("First response due **02:05 IST (20:35 UTC, 20 Nov)**.\n", calls)[0] == "pass"
    assert _deadline("First response due 02:05 IST. Next update 03:35 IST.\n", calls)[0] == "pass"
    status, detail = _deadline("First response due 02:35 IST.\n", calls)
    assert status == "fail" and "02:35" in detail


def _huawei_transcript(answer: str):
    calls = engine_calls("OBS 上传偶发超时，约 10% 失败，重试可成功", "2026-12-10T16:20:00+08:00", "Asia/Shanghai", "huawei")
    return engine_transcript("t", "vendor-escalation", "zh", "incident", answer, calls)


def test_blind3_chinese_status_page_words_no_confirmed_page_and_a_green_claim() -> None:
    """blind3: '华为云无经确认的公开状态页' answers the status check for a vendor with no confirmed page; '已查看华为云
    状态页，所有服务显示正常' with no time is an unverified green claim."""
    from escalation_kit.evals.grounding import check_vendor

    def status(answer: str) -> str:
        return next(c.status for c in check_vendor(answer, _huawei_transcript(answer)) if c.id == "status_page")

    assert status("状态页：华为云无经确认的公开状态页；需查看控制台消息中心。\n") == "pass"
    assert status("已查看华为云状态页，所有服务显示正常，因此问题大概率在我们自己的配置上。\n") == "fail"


def test_blind3_a_fenced_case_text_in_english_is_quoted_not_a_language_switch() -> None:
    """blind3: a Chinese answer may quote the case text it files with an English-language desk in a fenced block;
    the same English as a prose paragraph is still a switch."""
    from escalation_kit.evals.grader import check_language

    head = "## 工单\n\n按以下内容提交工单，首次响应截止 20:20（北京时间），届时未响应则要求升级到支持经理。\n\n"
    case = ("Severity: Production system impaired - intermittent OBS upload timeouts in production since 16:05.\n"
            "Business impact: about 10% of product-image uploads from our production backend fail with timeouts;\n"
            "retries succeed, but listing publication is delayed and upload workers back up.\n"
            "Ask: please check OBS front-end and network health in ap-southeast-1 for these request IDs, tell us\n"
            "whether there is a known issue, and update the ticket at least every 4 hours.\n")
    assert check_language(head + "```\n" + case + "```\n", "zh").status == "pass"
    assert check_language(head + case, "zh").status == "fail"


def test_blind3_a_terse_chinese_exit_condition_names_what_ends_the_escalation() -> None:
    """blind3: '504 回落、登录正常 30 分钟、修复验证' states the conditions that end an escalation."""
    from escalation_kit.evals.cues import Body, item_cues
    from escalation_kit.evals.grounding import normalize

    cues = item_cues("escalation-workflow", "deescalation")
    assert all(r.met(Body(normalize("504 回落、登录正常 30 分钟、修复验证 → 支持经理通知所有相关方。"))) for r in cues.require)
    assert not all(r.met(Body(normalize("支持经理通知所有相关方。"))) for r in cues.require)


def test_blind3_an_unfilled_case_template_is_a_placeholder() -> None:
    """blind3: a case-text section of '- Title: <short summary>' fields and 'fill it in later' passed; a case text
    that keeps one '<bucket-name>' beside real facts is still content."""
    from escalation_kit.evals.grader import grade_answer

    def case_text(body: str) -> bool:
        answer = f"## Case severity\nHIGH, 1 hour.\n\n## Case text\n{body}\n"
        graded = grade_answer(answer, skill="vendor-escalation", language="en")
        return next(i.passed for i in graded.items if i.id == "case_text")

    template = ("- Title: <short summary>\n- Description: <describe the issue>\n- Impact: <business impact>\n"
                "- Resources: <OCIDs>\n\nFill it in once the team has the details.")
    filled = ("- Title: Object Storage PUTs time out in us-ashburn-1 since 07:50 CST\n- Bucket: <bucket-name>\n"
              "- Impact: 12% of uploads from production fail; retries succeed after 30 s\n- Ask: confirm a known issue")
    assert case_text(template) is False
    assert case_text(filled) is True


def test_blind3_a_response_target_section_needs_a_time_or_says_there_is_none() -> None:
    """blind3: 'Поддержка обычно отвечает быстро' under a response-time heading passed; a duration, a deadline or
    'no published target' answers the item."""
    from escalation_kit.evals.grader import grade_answer

    def target(body: str) -> bool:
        answer = f"## Серьёзность обращения\nCritical issue, 2 часа.\n\n## Время ответа\n{body}\n"
        graded = grade_answer(answer, skill="vendor-escalation", language="ru")
        return next(i.passed for i in graded.items if i.id == "response_target")

    assert target("Поддержка Yandex Cloud обычно отвечает быстро, так что ждать долго не придётся.") is False
    assert target("Первый ответ в течение 30 минут, 24x7: до 03:00 МСК.") is True
    assert target("Yandex Cloud не публикует срок ответа для этого тарифа; ориентируемся на свой внутренний.") is True


def test_blind3_a_paragraph_opening_with_an_item_label_is_that_item() -> None:
    """blind3: an answer in plain 'Уведомления: …' paragraphs (no Markdown) had four items not found; a label
    inside an item's own section stays detail, and a label naming no item never splits."""
    names = {"уведомления", "критерии деэскалации"}
    plain = ("Уведомления: лид IAM — пейджинг; директор — телефон.\n\n"
             "Критерии деэскалации: вход работает 30 мин.\n\nЗаметка: всё записано.\n")
    assert [s.title for s in split_sections(plain, accept_weak=lambda t: t in names)] == [
        "", "уведомления", "критерии деэскалации"]
    nested = "## Уведомления\nлид IAM — пейджинг.\n\nКритерии деэскалации: вход работает 30 мин.\n"
    assert [s.title for s in split_sections(nested, accept_weak=lambda t: t in names)] == ["", "уведомления"]


def test_blind3_a_table_row_label_with_a_long_note_is_still_a_label() -> None:
    """blind3: '| **Evidence** (collect in parallel, don't block the fix) | …' was not read as a row label (seven
    words with its note); the note no longer counts."""
    row = "| **Evidence** (collect in parallel, don't block the fix) | App Insights traces since 23:00 |\n"
    assert [s.title for s in split_sections(row, accept_weak=lambda t: t.startswith("evidence"))][1:] == [
        "evidence (collect in parallel, don't block the fix)"]


def test_blind4_a_slack_bold_label_is_a_heading_and_a_line_in_single_stars_is_not() -> None:
    """blind4: a Slack post's '*Open questions:* …' (Slack's bold is one star) was not read as a label, so the
    item was not found; a whole line in single stars is italic prose, not a heading."""
    post = "*Status page:* not checked yet.\n*Open questions:* lost payments? (payments)\n"
    sections = split_sections(post)
    assert [(s.title, s.body) for s in sections][1:] == [("status page", "not checked yet."),
                                                         ("open questions", "lost payments? (payments)")]
    assert [s.title for s in split_sections("*we keep watching the error rate*\n")] == [""]
    assert [s.title for s in split_sections("*Note* this is italic\n")] == [""]


def test_blind4_a_numbered_label_keeps_its_inline_content() -> None:
    """blind4: '2. 状态页：status.aliyun.com 尚未查看…' took the whole line as the title and left the section empty
    (0 characters under it); the label is the title and the rest its content. A URL's 'https:' is no label."""
    names = ("状态页", "status page")
    accept = lambda t: any(n in t for n in names)  # noqa: E731
    line = "2. 状态页：status.aliyun.com 尚未查看，由值班 SRE 查看后写入工单。\n"
    sections = split_sections(line, accept_weak=accept)
    assert [(s.title, s.body) for s in sections][1:] == [("状态页", "status.aliyun.com 尚未查看，由值班 SRE 查看后写入工单。")]
    url = "3. Status page https://health.aws.amazon.com\n"
    assert [s.title for s in split_sections(url, accept_weak=accept)][1:] == ["status page https://health.aws.amazon.com"]


def test_blind4_a_vendor_level_for_a_later_condition_is_not_the_one_filed() -> None:
    """blind4: 'Filing Production system down now; if it spreads we re-file as Business-critical system down'
    was read as filing the conditional level; it counts only when the answer states no other (gold: 'not needed;
    if we opened one it would be P4')."""
    from escalation_kit.evals.grounding import check_vendor
    from evals.test_grounding import VENDOR, tr

    def filed(text: str) -> str:
        checks = check_vendor(text, tr(pick_vendor_support_path={**VENDOR, "vendor": "aws"}), want_status_page=False)
        return next(c.status for c in checks if c.id == "vendor_severity")

    now = "I'm opening a **Production system down** case now. If it spreads to every region we re-file as **Business-critical system down**."
    assert filed(now) == "pass"
    assert filed("File as **Business-critical system down** now.") == "fail"
    assert filed("No case is needed now; if we open one, file it as **Production system down**.") == "pass"
    assert filed("Если затронет все регионы, откроем **Business-critical system down**. Сейчас: **System impaired**.") == "fail"


def test_blind4_a_bold_numbered_label_ending_in_a_full_stop_is_a_heading() -> None:
    """blind4: an e-mail's '**4. Ticket and SLA tracking.** I'm filing …' (the number inside the bold) was not a
    heading, so three items were not found."""
    text = "**4. Ticket and SLA tracking.** I'm filing a Regular ticket now.\n**Do not restart the database.** Then check.\n"
    assert [s.title for s in split_sections(text)][1:] == ["ticket and sla tracking"]


def test_blind4_a_numbered_label_may_end_in_a_spaced_dash() -> None:
    """blind4: a Russian e-mail's '2. Влияние — 1 клиент; …' lines were not labels (only a colon ended one), so
    four items were not found; a dash inside a word ('Saint-Petersburg') still ends nothing."""
    names = ("влияние", "описание")
    accept = lambda t: any(n in t for n in names)  # noqa: E731
    text = "2. Влияние — 1 клиент; ~20 % выгрузок падают.\n3. Описание – с утра 24.11 ошибки 500.\n"
    sections = split_sections(text, accept_weak=accept)
    assert [(s.title, s.body) for s in sections][1:] == [("влияние", "1 клиент; ~20 % выгрузок падают."),
                                                         ("описание", "с утра 24.11 ошибки 500.")]
    assert [s.title for s in split_sections("1. Влияние-проверка пройдена\n", accept_weak=accept)][1:] == [
        "влияние-проверка пройдена"]


def test_blind4_a_status_page_host_without_www_names_it() -> None:
    """blind4: 'cloudflarestatus.com пока не смотрели' did not name www.cloudflarestatus.com."""
    from escalation_kit.evals.grounding import check_vendor
    from evals.test_grounding import tr

    pages = {"case_severity": {"name": "P1 Urgent"}, "vendor": "cloudflare",
             "status_pages": [{"name": "Cloudflare Status", "url": "https://www.cloudflarestatus.com/"}]}
    got = check_vendor("cloudflarestatus.com пока не смотрели.", tr(pick_vendor_support_path=pages))
    assert [c.status for c in got if c.id == "status_page"] == ["pass"]
    got = check_vendor("Статус пока не смотрели.", tr(pick_vendor_support_path=pages))
    assert [c.status for c in got if c.id == "status_page"] == ["fail"]
    deep = {"case_severity": {"name": "Urgent"}, "vendor": "tencent",
            "status_pages": [{"name": "Tencent status", "url": "https://www.tencentcloud.com/document/product/1209/55501"}]}
    got = check_vendor("Open a ticket at console.tencentcloud.com/workorder as Urgent.", tr(pick_vendor_support_path=deep))
    assert [c.status for c in got if c.id == "status_page"] == ["fail"]  # a page deep in a site keeps its "www."


def test_blind4_the_first_time_of_a_pair_is_not_in_the_second_time_s_zone() -> None:
    """blind4: '20:20 / 15:20 UTC' (the answer's zone, then UTC) read 20:20 as UTC. Tool: first response 18:05
    MSK (15:05 UTC), next update 22:05 MSK."""
    assert _deadline("Первый ответ до 18:05 / 15:05 UTC. Эскалация в 22:05 / 19:05 UTC без ответа.\n", YC_CALLS)[0] == "pass"
    status, detail = _deadline("Первый ответ до 18:05 / 15:05 UTC. Эскалация в 23:05 / 20:05 UTC без ответа.\n", YC_CALLS)
    assert status == "fail" and "23:05" in detail
    assert _deadline("Первый ответ до 18:05 (15:05 UTC).\n", YC_CALLS)[0] == "pass"
    assert _deadline("First response by 15:05 / 18:05 MSK.\n", YC_CALLS)[0] == "pass"  # the case's own zone second
    assert _deadline("First response by 16:05 / 18:05 MSK.\n", YC_CALLS)[0] == "fail"


def test_blind4_the_tool_s_business_window_bounds_are_its_own_times() -> None:
    """blind4: 'рабочее окно начинается в 09:00' failed as an unknown deadline; the SLA tool returns the business
    window (09:00-18:00), so its bounds in the tool's zone are grounded, and only there (opened 14:05 MSK)."""
    calls = [c if c[0] != "compute_sla_deadlines" else (c[0], c[1], {**c[2], "business_hours": "09:00-18:00"})
             for c in YC_CALLS]
    # (stop 19: a commitment word governs only the first time after it, so the window's bound follows its own)
    answer = "**Срок реакции:** 18:05 МСК. SLA считается в рабочем окне, оно закрывается в 18:00.\n"
    assert _deadline(answer, calls)[0] == "pass"
    assert _deadline(answer, YC_CALLS)[0] == "fail"
    assert _deadline(answer.replace("в 18:00.", "в 18:00 UTC."), calls)[0] == "fail"
    # a bound named as a deadline is still checked: 18:00 is no time the tool gave
    assert _deadline("Первый ответ до 18:05 МСК; эскалация в 18:00 без ответа.\n", calls)[0] == "fail"
    # (blind9: a customer update sooner than the tool's first is the team's tighter cadence; an internal one is not)
    assert _deadline("First response due 18:05 MSK. Next internal update at 18:00.\n", calls)[0] == "fail"


def test_two_sections_that_each_read_as_the_other_are_swapped() -> None:
    """blind1's coordinator answer with its level and impact bodies swapped passed: each body still met the
    other heading's loose requirement. Two bodies that each read clearly as the other item now fail both; the
    answer as written passes."""
    from escalation_kit.evals.grader import grade_answer
    from escalation_kit.evals.suite import suites_root

    good = (suites_root() / "blind1" / "answers" / "bb-ec-en-1.good.md").read_text(encoding="utf-8")
    head, rest = good.split("## Escalation type and level\n", 1)
    level, rest = rest.split("## Impact assessment\n", 1)
    impact, tail = rest.split("## Escalation timeline\n", 1)
    swapped = (f"{head}## Escalation type and level\n{impact.rstrip()}\n\n## Impact assessment\n{level.rstrip()}\n\n"
               f"## Escalation timeline\n{tail}")
    assert grade_answer(good, "escalation-coordinator").passed
    items = {i.id: i for i in grade_answer(swapped, "escalation-coordinator").items}
    assert not items["escalation_level"].passed and not items["impact"].passed
    assert items["impact"].reason.startswith("swapped:")


def test_blind4_a_chinese_pending_list_with_why_is_the_open_questions_item() -> None:
    """blind4: '**待解决**：…脚本为何有删除权限（运维）' was not read as open questions (the heading list had only
    待解决问题, the question words no 为何)."""
    from escalation_kit.evals.grader import grade_answer

    answer = "**待解决**：可恢复到的时间点（DBA）· 扣款无订单的对账（交易）· 脚本为何有删除权限（运维）。恢复后 48 小时内复盘，老李负责。\n"
    item = next(i for i in grade_answer(answer, "incident-triage").items if i.id == "open_questions")
    assert item.passed and item.matched_by == "heading", item.reason


def test_a_clock_time_inside_a_numbered_label_is_not_its_end() -> None:
    """Review: '2. Status page (checked 14:05): nothing posted' was cut at 14:05's colon."""
    names = ("status page", "next update")
    accept = lambda t: any(n in t for n in names)  # noqa: E731
    got = split_sections("2. Status page (checked 14:05): nothing posted\n3. Next update at 15:30\n", accept_weak=accept)
    assert [(s.title, s.body) for s in got][1:] == [("status page (checked 14:05)", "nothing posted"),
                                                    ("next update at 15:30", "")]


def test_headings_padded_with_thousands_of_spaces_are_read_in_one_pass() -> None:
    """Review: '# x' + 5,000 spaces + 'y' took the ATX pattern 143 s (a lazy title between optional spaces);
    a numbered line so padded took 9-73 s. Each is now one pass (the suite's timeout would stop a hang)."""
    pad = " " * 5000
    assert [s.title for s in split_sections(f"# x{pad}y ##\n")][1:] == ["x y"]
    assert [s.title for s in split_sections(f"1. x{pad}y\n", accept_weak=lambda t: True)][1:] == []
    assert [s.title for s in split_sections(f"1.{pad}Evidence\n", accept_weak=lambda t: True)][1:] == ["evidence"]


def test_built_vendor_calls_pass_production_false_for_a_non_production_report() -> None:
    """The build makes the calls a model following the skills makes: production=false when the severity read the
    report as non-production, nothing otherwise (unknown reads as production)."""
    staging = "Our staging cluster in AWS is down; production is not affected."
    calls = dict((name, args) for name, args, _ in engine_calls(staging, "2026-12-01T10:00:00+00:00", "UTC", "aws"))
    assert calls["pick_vendor_support_path"]["production"] is False
    prod = engine_calls("Checkout API down for all users in AWS", "2026-12-01T10:00:00+00:00", "UTC", "aws")
    assert "production" not in dict((n, a) for n, a, _ in prod)["pick_vendor_support_path"]
