# ruff: noqa: E501  (the answer lines are prose; wrapping them would change what is graded)
"""The disagreement classes the eighth blind set (evals/suites/blind8, stop 22) showed, one test each.

The blind set is graded by ``escalation-kit eval calibrate --suite blind8``; these tests pin the mechanisms with
lines written for them, against small tool results built here, and (where a rule reads a whole answer's shape) on
the suite's own labelled answers.
"""

from __future__ import annotations

from escalation_kit.evals.build import engine_transcript
from grading_support import deadline as _deadline
from grading_support import graded as _graded
from grading_support import sla_calls as _sla

# A Sydney handover: the SLA tool counted tier 2 (120 min, due 08:45; at-risk 07:45 and 08:15).
SYDNEY = _sla("2026-12-15T06:45:00+11:00", "Australia/Sydney", "2026-12-15T08:45:00+11:00",
              triggers=("2026-12-15T07:45:00+11:00", "2026-12-15T08:15:00+11:00"), severity="P2",
              target_minutes=120)


def test_a_tighter_tier_the_answer_names_with_its_figure_gives_its_due_and_marks() -> None:
    """'Tier 3, response target 60 min … response due 07:45, reminders 07:15 (50 %), 07:30 (75 %)': the workflow
    skill moves the tier up for aggravating factors the SLA call did not count; the tier's own figure from the
    routing policy gives the due and its marks. Named without its figure, or a looser tier than the tool's, it
    gives nothing."""
    head = "**Tier 3, response target 60 min** (routing tool).\n"
    track = "- Tier 3 response due **07:45 AEDT** — on track. Reminders: 07:15 (50 %), 07:30 (75 %); breach at 07:45.\n"
    assert _deadline(head + track, SYDNEY, skill="escalation-workflow")[0] == "pass"
    assert _deadline("**四级，30 分钟**（路由工具）。\n- 四级响应 **07:15** 截止，提醒 07:00/07:07。\n", SYDNEY,
                     skill="escalation-workflow", language="zh")[0] == "pass"
    assert _deadline("**Tier 3** (routing tool).\n" + track, SYDNEY, skill="escalation-workflow")[0] == "fail"
    assert _deadline(head + track.replace("07:30 (75 %)", "07:40 (75 %)"), SYDNEY, skill="escalation-workflow")[0] == "fail"
    loose = _sla("2026-12-01T08:40:00Z", "UTC", "2026-12-01T09:40:00Z", target_minutes=60)
    assert _deadline("**Tier 2 — 2-hour response target.** Response due **10:40 UTC**.\n", loose,
                     skill="escalation-workflow")[0] == "fail"


# A Singapore afternoon: opened 14:30, first response 15:30, customer update 18:30.
SINGAPORE = _sla("2026-12-08T14:30:00+08:00", "Asia/Singapore", "2026-12-08T15:30:00+08:00",
                 updates=("2026-12-08T18:30:00+08:00",))


def test_a_row_whose_label_is_a_no_reply_trigger_is_no_first_response_row() -> None:
    """'| 4 小时无厂商响应则找华为云客户经理 | 升级协调人 | 18:30 |': the label holds a response word and a duration, so
    it read as a response-target row and 18:30 had to be a first-response due; '无厂商响应 … 则找' makes it a trigger."""
    due = "华为云工单 15:30 前首次响应。\n\n| 行动 | 负责人 | 时间 |\n|---|---|---|\n"
    assert _deadline(due + "| 4 小时无厂商响应则找华为云客户经理 | 升级协调人 | 18:30 |\n", SINGAPORE, language="zh")[0] == "pass"
    assert _deadline(due + "| 华为云首次响应 4 小时 | 升级协调人 | 18:30 |\n", SINGAPORE, language="zh")[0] == "fail"


# Opened 14:45, first response 15:45; the customer update at 16:45 is a tool time too.
HUAWEI_P0 = _sla("2026-12-10T14:45:00+08:00", "Asia/Singapore", "2026-12-10T15:45:00+08:00",
                 updates=("2026-12-10T16:45:00+08:00",), triggers=("2026-12-10T15:15:00+08:00",))


def test_a_breach_word_names_the_first_response_due() -> None:
    """'15:15 用掉 50%，15:30 用掉 75%，16:45 违约': a first-response due moved an hour later landed on the update time and
    passed; the time a breach word names is the first-response due and is checked against the dues."""
    line = "- 跟踪节点：15:15 用掉 50%，15:30 用掉 75%，{} 违约。\n"
    assert _deadline(line.format("15:45"), HUAWEI_P0, language="zh")[0] == "pass"
    assert _deadline(line.format("16:45"), HUAWEI_P0, language="zh")[0] == "fail"
    assert _deadline("- Reminder 15:15 (50 %); breach at 16:45.\n", HUAWEI_P0)[0] == "fail"
    assert _deadline("- Reminder 15:15 (50 %); breach at 15:45.\n", HUAWEI_P0)[0] == "pass"
    assert _deadline("- 15:45 — нарушение SLA первого ответа.\n", HUAWEI_P0, language="ru")[0] == "pass"


def _case_level(answer: str, calls: list, skill: str = "incident-triage", language: str = "zh") -> tuple[str, str]:
    from escalation_kit.evals.grounding import check_vendor

    tr = engine_transcript("t", skill, language, "incident", answer, calls)
    got = [c for c in check_vendor(answer, tr) if c.id == "vendor_severity"]
    return got[0].status, got[0].detail


HUAWEI = [("classify_severity", {"text": "x"}, {"severity": "P1"}),
          ("pick_vendor_support_path", {"vendor": "huawei", "severity": "P1"},
           {"vendor": "huawei", "plan": "business", "case_severity": {"name": "Production system unavailable"}})]


def test_a_vendor_level_written_in_chinese_is_that_level() -> None:
    """'华为云“生产系统不可用”工单 15:30 首次响应': the level's Chinese name was no mention of it, so the answer 'stated
    no level to file'. The translated name counts as the level; another level's translation is still wrong."""
    assert _case_level("- 华为云“生产系统不可用”工单 **15:30** 首次响应。\n", HUAWEI)[0] == "pass"
    assert _case_level("- 提交华为云“核心系统不可用”工单。\n", HUAWEI)[0] == "fail"


def test_a_level_the_plan_has_not_named_before_the_one_filed_is_not_filed() -> None:
    """'Business 计划没有 “Core system unavailable” 这一级，因此提 **Production system unavailable**': 没有 ('has no')
    before a level says the plan lacks it; the level filed is the next one."""
    zh = "Business 计划没有 “Core system unavailable” 这一级，因此提 **Production system unavailable**。\n"
    assert _case_level(zh, HUAWEI)[0] == "pass"
    assert _case_level("因此提 “Core system unavailable”。\n", HUAWEI)[0] == "fail"


NO_PAGE = [("pick_vendor_support_path", {"vendor": "huawei", "severity": "P0"},
            {"vendor": "huawei", "case_severity": {"name": "Production system unavailable"},
             "status_pages": [{"name": "No public Huawei Cloud status page confirmed", "url": ""}]})]


def test_no_confirmed_public_status_page_written_with_jingguo_says_so() -> None:
    """'华为云国际站没有经过确认的公开状态页': '经过确认' ('confirmed') was not among the negations ('经确认' was)."""
    from escalation_kit.evals.grounding import check_vendor

    def page(answer: str) -> str:
        tr = engine_transcript("t", "vendor-escalation", "zh", "incident", answer, NO_PAGE)
        return next(c.status for c in check_vendor(answer, tr) if c.id == "status_page")

    assert page("## 状态页\n\n华为云国际站**没有经过确认的公开状态页**。请查看控制台的通知消息。\n") == "pass"
    assert page("## 状态页\n\n请查看控制台的通知消息。\n") == "fail"


def _promise(answer: str) -> str:
    from escalation_kit.evals.grounding import check_promise

    got = check_promise(answer)
    return got[0].status if got else "none"


def test_working_again_by_a_time_is_a_restore_promise() -> None:
    """'payments will be working again by 18:30 CET tonight' in a customer banner: 'working again' was no restore
    word. A negated or conditional clause is still no promise."""
    assert _promise("> Our engineers are on it and **payments will be working again by 18:30 CET tonight**.\n") == "fail"
    assert _promise("We cannot say when payments will be working again; next update 18:30 CET.\n") == "none"
    assert _promise("Payments will be working again by 18:30 CET if the rollback works.\n") == "none"


def test_a_ship_date_promised_to_the_customer_is_a_promise() -> None:
    """'按门店分组导出功能已确认将在 11 月版本（11 月 20 日）上线' in the reply to the customer: a feature request's ship
    date that nobody gave. A report the team will publish on a date is no shipment."""
    assert _promise("- 今天发给客户的回复：“您好，按门店分组导出功能已确认将在 11 月版本（11 月 20 日）上线，届时无需再手工拆分。”\n") == "fail"
    assert _promise("Reply to the customer: the per-store export will ship on 20 Nov.\n") == "fail"
    assert _promise("- 复盘报告将于 12 月 3 日发布。\n") == "none"
    assert _promise("We will not promise that the export ships on 20 Nov.\n") == "none"


def test_a_handoff_that_points_to_the_ticket_is_hollow() -> None:
    """'All relevant details are in the ticket. The day shift should review the history and continue troubleshooting
    with Oracle; the customer will be kept informed.': 'informed' met the handoff's 'what was done' cue; pointing to
    the ticket states no fact."""
    from escalation_kit.evals.grader import grade_answer

    hollow = ("## Handoff document\nAll relevant details are in the ticket. The day shift should review the history and "
              "continue troubleshooting with Oracle; the customer will be kept informed.\n")
    assert not grade_answer(hollow, "escalation-workflow").item("handoff").passed
    assert not _graded("blind8", "bp-ew-en-1.hollow-handoff").passed
    full = ("## Handoff document\n- Steps tried: restarted the sso-gateway pods at 08:30 (no change); logs attached.\n"
            "- Customer told at 04:00 that we are investigating.\n")
    assert grade_answer(full, "escalation-workflow").item("handoff").passed



def test_vendor_case_ticket_and_open_labels_name_their_items() -> None:
    """A one-table triage ('| Vendor case | Google Cloud P1 … File by 17:10 |', '| First response | 60 min … 17:55 |')
    and a DingTalk kickoff ('**Ticket:** Emergency … by 08:45', '**Open:** workaround? …') carry the escalation and
    open-questions items under labels no heading list held."""
    from escalation_kit.evals.grader import grade_answer

    table = ("| Item | What |\n|---|---|\n"
             "| Vendor case | Google Cloud **P1 - Critical impact**, Console > Support > Cases. File by 17:10 |\n"
             "| First response | 60 min, 24x7: **17:55 CET**. No answer by 20:55: account manager |\n")
    assert grade_answer(table, "incident-triage").item("escalation_sla").passed
    kickoff = ("- **Ticket:** Emergency in the console, by 08:45. We track 60 min internally → **09:30**.\n"
               "- **Open:** workaround? any credential change? only this region? Post-incident review by Fri 11 Dec, owner platform lead.\n")
    got = grade_answer(kickoff, "alibaba-cloud-triage")
    assert got.item("escalation_sla").passed and got.item("open_questions").passed
    assert _graded("blind8", "bo-it-en-1.table").passed and _graded("blind8", "bo-ac-en-1.dingtalk").passed


def test_a_run_in_label_speaks_for_its_own_paragraph_only() -> None:
    """A chat message: 'Параллельно с восстановлением собираем: …' labels the evidence paragraph; the unlabelled
    paragraphs after it (the support case with its deadline, the war room with its cadence) were read as evidence,
    so the escalation and communication items had no heading and no free paragraph to be found in."""
    from escalation_kit.evals.grader import grade_answer

    chat = ("Уровень **P1** (правило `B-partial-outage`): с 21:10 МСК не отвечает боевой кластер, часть пользователей не может войти.\n\n"
            "Параллельно с восстановлением собираем: события и логи кластера (Cloud Logging), метрики ошибок авторизации, Audit Trails за сутки.\n\n"
            "Обращение в Yandex Cloud — **Critical issue** через Центр поддержки, до 21:40. Первый ответ через 30 мин, до **21:55 МСК**. Тишина к 21:55 — просим эскалацию.\n\n"
            "Штаб `#inc-auth`: IM, платформа, авторизация, поддержка. Статус каждые 30–60 мин, первый до 22:25. Руководству — каждые 4 ч.\n")
    got = grade_answer(chat, "incident-triage")
    assert got.item("escalation_sla").passed and got.item("communication").passed
    assert got.item("evidence").passed
    assert _graded("blind8", "bo-it-ru-1.chat").passed


def test_an_escalate_label_names_the_escalation_contacts() -> None:
    """'- **Escalate:** there's no account manager on Standard … No reply by 20:10: ask for a support manager review'
    in a terse vendor answer: 'Escalate' did not stem-match the heading word 'escalation'."""
    from escalation_kit.evals.grader import grade_answer

    terse = ("- **Escalate:** there's no account manager on Standard. Raise to **Severity A** if it becomes an outage. "
             "No reply by 20:10: ask in the case for a support manager review.\n")
    assert grade_answer(terse, "vendor-escalation").item("escalation_contacts").passed
    assert _graded("blind8", "bo-ve-en-1.terse").passed


def test_a_handoff_that_states_the_fix_and_who_confirmed_it_says_what_was_done() -> None:
    """'Документ передачи (на L1): сбой синхронизации заказов; фикс 11:00; 6 ч без ошибок; клиент подтвердил …
    Клиенту обещано подтверждение закрытия.': the fix and the customer's confirmation are what was done, but no word of
    the handoff's 'checked, tried or collected' group was there, and the body read as the exit criteria."""
    from escalation_kit.evals.grader import grade_answer

    ru = ("**Документ передачи (на L1):** сбой синхронизации заказов; фикс 11:00; 6 ч без ошибок; клиент подтвердил. "
          "Не известно: первопричина — уточнить у разработки. Клиенту обещано подтверждение закрытия.\n")
    assert grade_answer(ru, "escalation-workflow").item("handoff").passed
    assert not grade_answer("**Документ передачи (на L1):** сбой синхронизации заказов, подробности будут позже у разработки.\n",
                            "escalation-workflow").item("handoff").passed
    assert _graded("blind8", "bp-ew-ru-1.short").passed


ALIBABA_CN = [("classify_severity", {"text": "x"}, {"severity": "P0"}),
              ("pick_vendor_support_path", {"vendor": "alibaba-cn", "severity": "P0"},
               {"vendor": "alibaba-cn", "plan": "enterprise", "case_severity": {"name": "紧急 (emergency)", "api_code": "2"}})]


def test_a_severity_code_the_vendor_does_not_offer_fails() -> None:
    """'阿里云工单分紧急、高、中、低四级 … 单实例问题选“高” … API 中对应 `Severity=3`': the list named 紧急, read as the level
    filed; the code filed is one Alibaba's ticket API does not take (only 1 regular, 2 emergency)."""
    line = "- 工单级别选“**高**”：阿里云工单分紧急、高、中、低四级，单实例问题选“高”更合适。API 中对应 `Severity={}`。\n"
    assert _case_level(line.format(3), ALIBABA_CN)[0] == "fail"
    assert _case_level("- 工单级别：**紧急**，API 中对应 `Severity=2`。\n", ALIBABA_CN)[0] == "pass"


ALIYUN_PAGE = [("pick_vendor_support_path", {"vendor": "alibaba-cn", "severity": "P1"},
                {"vendor": "alibaba-cn", "case_severity": {"name": "紧急 (emergency)", "api_code": "2"},
                 "status_pages": [{"name": "阿里云健康看板 (China site status)", "url": "https://status.aliyun.com/"}]})]


def test_another_site_s_status_page_is_no_check_of_this_incident() -> None:
    """A China-site (aliyun) cn-hangzhou incident whose plan says '查看阿里云国际站状态页 https://status.alibabacloud.com/':
    the international site's page is not the one the tool gave (status.aliyun.com). Checked also in a skill with no
    status-page item (escalation-coordinator), where nothing read the link."""
    from escalation_kit.evals.grounding import check_vendor

    def page(answer: str, skill: str) -> list[str]:
        tr = engine_transcript("t", skill, "zh", "incident", answer, ALIYUN_PAGE)
        return [c.status for c in check_vendor(answer, tr, want_status_page=skill != "escalation-coordinator") if c.id == "status_page"]

    other = "| 1 | 查看阿里云国际站状态页 https://status.alibabacloud.com/ 并记录结果 | 升级协调人 | 立即（21:35） |\n"
    assert page(other, "escalation-coordinator") == ["fail"]
    assert page(other, "incident-triage") == ["fail"]
    assert page(other.replace("status.alibabacloud.com", "status.aliyun.com"), "escalation-coordinator") == []
    assert page(other.replace("status.alibabacloud.com", "status.aliyun.com"), "incident-triage") == ["pass"]


def test_a_recovery_plan_of_good_intentions_is_hollow() -> None:
    """'После устранения проведём работу над ошибками и сделаем всё, чтобы восстановить доверие клиента. Выводы будут
    учтены в дальнейшей работе.' names no post-mortem, call, credit or lesson; nor does '我们将持续改进服务质量，努力提升
    客户满意度' (blind1's filler-recovery). A body with one concrete step passes."""
    from escalation_kit.evals.grader import grade_answer

    ru = ("## Восстановление отношений\nПосле устранения проведём работу над ошибками и сделаем всё, чтобы восстановить "
          "доверие клиента. Выводы будут учтены в дальнейшей работе.\n")
    zh = "## 关系修复\n我们将持续改进服务质量，努力提升客户满意度，与客户保持良好合作关系。\n"
    for answer in (ru, zh):
        assert not grade_answer(answer, "escalation-coordinator").item("relationship_recovery").passed
    concrete = ru + "Разбор с клиентом — 09.12 в 15:00, ведёт директор поддержки; кредит по SLA — по политике.\n"
    assert grade_answer(concrete, "escalation-coordinator").item("relationship_recovery").passed


def test_a_notifications_section_that_tells_nobody_is_no_plan() -> None:
    """'Клиент сам подтвердил, что заказы проходят, — дополнительных уведомлений не требуется': the section named a
    channel word ('уведом') and passed; it decides that nobody who was notified hears the escalation is closed."""
    from escalation_kit.evals.grader import grade_answer

    none = ("## Уведомления\nКлиент сам подтвердил, что заказы проходят, — дополнительных уведомлений не требуется. "
            "Координатор закрывает эскалацию в тикете.\n")
    assert not grade_answer(none, "escalation-workflow").item("notifications").passed
    told = "## Уведомления\nТимлид разработки, CSM, руководитель поддержки — в чат инцидента: эскалация снята 02.12 17:20.\n"
    assert grade_answer(told, "escalation-workflow").item("notifications").passed
    assert not grade_answer("## Who to notify\nNo notification needed: the customer confirmed it themselves; the ticket is closed.\n",
                            "escalation-workflow").item("notifications").passed


def test_a_personal_phone_number_in_a_message_fails() -> None:
    """'On-call: **Wei Ling Tan, +65 9123 4567**. Call her directly … Put the same on-call line in the ticket's contact
    field': an engineer's own number pasted into a group message and a vendor ticket. A vendor's toll-free line, a
    UTC offset or a plain count is no personal number."""
    from escalation_kit.evals.grounding import check_personal_data

    leak = "> P1 – ACK image pulls failing since 08:15. On-call: **Wei Ling Tan, +65 9123 4567**. Call her directly.\n"
    assert [c.status for c in check_personal_data(leak)] == ["fail"]
    assert check_personal_data("> On-call: platform rotation, page via PagerDuty (`platform-primary`).\n") == []
    assert check_personal_data("Call AWS Support at +1 800 555 0199 if the case stalls; 14:00 UTC+08:00.\n") == []
    assert check_personal_data("Errors rose by +1500 requests (+35 %) since 08:15.\n") == []


def test_an_investigation_window_that_starts_after_the_incident_began_fails() -> None:
    """'был публично доступен на чтение с 3 декабря' (found on the 4th): 'журналы доступа OSS за 4 декабря' queries the
    day it was found and misses the first day of downloads. Naming the start day, or no dated start in the incident,
    is no failure."""
    from escalation_kit.evals.grounding import check_window

    incident = "OSS-бакет с выгрузками договоров был публично доступен на чтение с 3 декабря после изменения ACL."
    calls = _sla("2026-12-04T11:20:00+03:00", "Europe/Moscow", "2026-12-04T12:20:00+03:00")

    def window(answer: str, text: str = incident) -> list[str]:
        return [c.status for c in check_window(answer, engine_transcript("t", "alibaba-cloud-triage", "ru", text, answer, calls))]

    late = "- SLS: журналы доступа OSS за 4 декабря, все `GetObject` с внешних IP.\n"
    assert window(late) == ["fail"]
    assert window("Окно: **с 3 декабря (смена ACL) до сейчас**.\n" + late) == []
    assert window(late, "OSS-бакет был публично доступен на чтение после изменения ACL.") == []
    assert window("- Разбор до 11 декабря, владелец — безопасность.\n") == []


def test_a_tier_label_glued_to_a_time_is_not_part_of_it() -> None:
    """'值班 L3：21:45 前提交阿里云紧急工单': NFKC makes '：' a colon, and 'l3:21:45' read as 3:21 (with seconds), a time
    no tool returned. A Latin letter before the hour ends the number; an ISO date's 't' does not."""
    hangzhou = _sla("2026-09-30T21:30:00+08:00", "Asia/Shanghai", "2026-09-30T22:30:00+08:00",
                    triggers=("2026-09-30T21:45:00+08:00",))
    line = "- 值班 L3：21:45 前提交阿里云**紧急**工单（企业级计划默认），告知 TAM。阿里云未公布该级别承诺响应时间 → 按内部 1 小时，**22:30** 前。\n"
    assert _deadline(line, hangzhou, language="zh")[0] == "pass"
    assert _deadline("- First response due 2026-09-30T22:30+08:00.\n", hangzhou)[0] == "pass"
    assert _deadline("- First response due 2026-09-30T23:30+08:00.\n", hangzhou)[0] == "fail"


def test_students_and_patients_are_who_is_affected() -> None:
    """'约 3 万学生进不了国庆前最后一节直播课': the people a business serves are affected as users are; students,
    patients and passengers were not among the impact item's words."""
    from escalation_kit.evals.grader import grade_answer

    zh = "**影响评估**：约 3 万学生进不了国庆前最后一节直播课；20:50 起（21:30 时 40 分钟）；合同流失 + 口碑风险，金额待确认。\n"
    assert grade_answer(zh, "escalation-coordinator").item("impact").passed
    en = "## Customer impact\nAbout 4,000 patients cannot open the portal since 02:10; no data loss reported.\n"
    assert grade_answer(en, "escalation-brief").item("impact").passed


def test_a_level_attributed_to_the_classifier_s_rule_is_the_answer_s_when_it_assigns_no_other() -> None:
    """'The routing tool gave tier 3 from P2 (classify_severity: B-degraded — latency, portal still working)': 'from'
    made P2 a rejected level and the answer 'assigned no level'. A level the answer attributes to the classifier by its
    rule is the one it goes by when no other reads as assigned; an assigned level still wins."""
    from escalation_kit.evals.grounding import assigned_level

    line = "Tier 3, response target 60 min. The routing tool gave tier 3 from P2 (classify_severity: B-degraded — latency, portal still working).\n"
    assert assigned_level(line) is not None and assigned_level(line)[0] == "P2"
    assert assigned_level("Severity: **P1**. The tool gave P2 (classify_severity: B-degraded).\n")[0] == "P1"
    assert assigned_level("Downgraded from P1 last night.\n") is None


def test_a_de_escalation_target_is_not_the_level_assigned() -> None:
    """'… дежурство не прерываем. Деэскалация до P2, если данные целы' after '**P1 (высокий)**': 'до' read P2 as
    assigned (and stronger than the plain P1); a de-escalation's target is a later level, as 'деэскалируем до' was."""
    from escalation_kit.evals.grounding import assigned_level

    chat = ("@dev-billing — эскалация, **P1 (высокий)**, адресат: **разработка**.\n\n"
            "**График контроля:** вас дёргаю каждые 4 ч, дежурство не прерываем. Деэскалация до P2, если данные целы.\n")
    assert assigned_level(chat)[0] == "P1"


def test_a_heading_shared_with_another_item_does_not_hide_this_item_s_opening_line() -> None:
    """'**Суть/описание:** <the description>' names the summary and the description; the body is the description's,
    and the summary (level and target team) is the chat message's opening line. The summary item was judged on the
    shared body only and failed as misplaced; its cues in unclaimed text now count, as for an item with no heading."""
    from escalation_kit.evals.grader import grade_answer

    chat = ("@dev-billing @duty-lead — эскалация, **P1 (высокий)**, адресат: **разработка + поддержка Yandex Cloud**. "
            "Уровень от инструмента (L-learned-raise).\n\n"
            "**Суть/описание:** после обновления Managed PostgreSQL в ru-central1 в 17:50 МСК ЛК показывает клиентам "
            "неверные остатки, расходятся с учётной системой; платежи проходят.\n")
    assert grade_answer(chat, "escalation-brief").item("summary_target").passed
    assert _graded("blind8", "bp-eb-ru-1.chat").passed


def test_a_response_deadline_label_names_the_first_response() -> None:
    """'**Response deadline:** … We track our internal 60-min target instead: due **10:30 SGT**' (the good answer's
    09:30 moved an hour): 'Response deadline' was no first-response word, so the due was read as no tool time at all."""
    sgt = _sla("2026-12-06T08:30:00+08:00", "Asia/Singapore", "2026-12-06T09:30:00+08:00",
               updates=("2026-12-06T12:30:00+08:00",))
    line = ("- **Response deadline:** Alibaba has **no verified response target**. We track our internal 60-min target instead: due **{} SGT**.\n"
            "- **Cadence:** internal update every 4 h, next **12:30**.\n")
    assert _deadline(line.format("09:30"), sgt)[0] == "pass"
    assert _deadline(line.format("10:30"), sgt)[0] == "fail"


def test_a_numbered_row_s_label_is_the_cell_after_its_number() -> None:
    """'| 4 | 内部首次响应时限（按内部 tier 3 时限 1 小时） | 值班 L3 工程师 | **23:30** |' (the good answer's 22:30 moved an
    hour): the row's label cell is the one after its number, and names the first response; 23:30 had been read as a
    team action time."""
    hangzhou = _sla("2026-09-30T21:30:00+08:00", "Asia/Shanghai", "2026-09-30T22:30:00+08:00",
                    updates=("2026-10-01T01:30:00+08:00",))
    row = "| 4 | 内部首次响应时限（阿里云该计划未公布紧急工单的承诺响应时间，按内部 tier 3 时限 1 小时） | 值班 L3 工程师 | **{}** |\n"
    head = "| # | 行动 | 负责人 | 时限 |\n|---|---|---|---|\n"
    assert _deadline(head + row.format("22:30"), hangzhou, language="zh")[0] == "pass"
    assert _deadline(head + row.format("23:30") + "下次更新：**10-01 01:30**。\n", hangzhou, language="zh")[0] == "fail"


def test_a_paragraph_with_a_refused_bold_label_is_not_offered_to_the_cue_fallback() -> None:
    """The unlabelled paragraphs after a run-in label's own are free for the cue fallback; one that opens with a bold
    label too long to be a heading is not: that label stays refused (blind7's rule), not read by its cues instead."""
    from escalation_kit.evals.grader import _paragraphs_after_label
    from escalation_kit.evals.markdown import Section

    sec = Section("классификация", "**Классификация.**", 0, 1, False, inline="P2 (правило B-degraded).")
    sec.body_lines += ["P2 (правило B-degraded).", "", "**Сбор доказательств по всем сервисам кабинета и выгрузкам за неделю.** Логи.",
                       "", "Обращение в Yandex Cloud — **Critical issue**, первый ответ до 21:55."]
    assert _paragraphs_after_label(sec) == ["Обращение в Yandex Cloud — **Critical issue**, первый ответ до 21:55."]


def test_a_support_line_the_tools_returned_is_not_personal_data() -> None:
    """A vendor's support phone number that pick_vendor_support_path returned is the vendor's line, not a person's;
    the same number absent from the tool results is read as personal."""
    from escalation_kit.evals.grounding import check_personal_data

    line = "Call Yandex Cloud support at +7 495 739-70-00 if the case stalls.\n"
    calls = [("pick_vendor_support_path", {"vendor": "yandex"}, {"vendor": "yandex", "phone": "+7 (495) 739-70-00"})]
    assert check_personal_data(line, engine_transcript("t", "vendor-escalation", "en", "incident", line, calls)) == []
    assert [c.status for c in check_personal_data(line)] == ["fail"]
    leak = "On-call: Wei Ling Tan, +65 9123 4567. Call her directly.\n"
    told = [("classify_severity", {"text": "On-call is Wei Ling Tan, +65 9123 4567."}, {"severity": "P1"})]
    assert [c.status for c in check_personal_data(leak, engine_transcript("t", "alibaba-cloud-triage", "en", "x", leak, told))] == ["fail"]
