# ruff: noqa: E501  (the answers are prose; wrapping them would change what is graded)
"""Every false-pass and false-fail class of issue 13, with answers written for this test in en, ru and zh.

Tool results are snapshots of what the project's engines returned for these incidents (2026-12),
trimmed to the fields the grader reads, so an engine rewrite does not move the grader's goalposts.
The gold suite (evals/suites/gold) is the one rebuilt from the live engines.
"""

from __future__ import annotations

import re

import pytest

from escalation_kit.evals.build import engine_transcript
from escalation_kit.evals.grader import GradeResult
from escalation_kit.evals.runner import grade_transcript
from escalation_kit.evals.suite import Case

# --- tool results (snapshots of the real engines) ------------------------------------------------

AWS_PAGES = [{"name": "AWS Health Dashboard", "url": "https://health.aws.amazon.com/health/status"}]
AWS_CALLS = [
    ("classify_severity", {"text": "x"}, {"severity": "P1"}),
    ("pick_vendor_support_path", {"vendor": "aws", "severity": "P1"},
     {"vendor": "aws", "case_severity": {"name": "Production system down", "api_code": "urgent"}, "status_pages": AWS_PAGES}),
    ("compute_sla_deadlines", {"severity": "P1"},
     {"severity": "P1", "opened_at": "2026-11-20T14:00:00Z", "timezone": "UTC", "first_response_due": "2026-11-20T15:00:00Z",
      "updates": [{"kind": "customer_update", "at": "2026-11-20T18:00:00Z"}, {"kind": "internal_update", "at": "2026-11-20T22:00:00Z"}],
      "escalation_triggers": [{"kind": "policy_step", "at": "2026-11-20T14:15:00Z"}, {"kind": "at_risk_50", "at": "2026-11-20T14:30:00Z"},
                              {"kind": "at_risk_75", "at": "2026-11-20T14:45:00Z"}, {"kind": "breach", "at": "2026-11-20T15:00:00Z"}]}),
]
YC_CALLS = [
    ("classify_severity", {"text": "x"}, {"severity": "P1"}),
    ("pick_vendor_support_path", {"vendor": "yandex", "severity": "P1"},
     {"vendor": "yandex", "case_severity": {"name": "Issue, important priority", "api_code": None},
      "status_pages": [{"name": "Yandex Cloud System Status", "url": "https://status.yandex.cloud/"}]}),
    ("compute_sla_deadlines", {"severity": "P1"},
     {"severity": "P1", "opened_at": "2026-11-20T14:05:00+03:00", "timezone": "Europe/Moscow",
      "first_response_due": "2026-11-20T18:05:00+03:00",
      "updates": [{"kind": "customer_update", "at": "2026-11-20T18:05:00+03:00"}, {"kind": "internal_update", "at": "2026-11-20T22:05:00+03:00"}],
      "escalation_triggers": [{"kind": "at_risk_50", "at": "2026-11-20T16:05:00+03:00"}, {"kind": "at_risk_75", "at": "2026-11-20T17:05:00+03:00"},
                              {"kind": "breach", "at": "2026-11-20T18:05:00+03:00"}]}),
]
ALI_CALLS = [
    ("classify_severity", {"text": "x"}, {"severity": "P1"}),
    ("pick_vendor_support_path", {"vendor": "alibaba-cn", "severity": "P1"},
     {"vendor": "alibaba-cn", "case_severity": {"name": "紧急 (emergency)", "api_code": "2"},
      "status_pages": [{"name": "阿里云健康看板", "url": "https://status.aliyun.com/"}]}),
    ("compute_sla_deadlines", {"severity": "P1"},
     {"severity": "P1", "opened_at": "2026-11-20T10:00:00+08:00", "timezone": "Asia/Shanghai",
      "first_response_due": "2026-11-20T11:00:00+08:00",
      "updates": [{"kind": "customer_update", "at": "2026-11-20T14:00:00+08:00"}],
      "escalation_triggers": [{"kind": "at_risk_50", "at": "2026-11-20T10:30:00+08:00"}, {"kind": "at_risk_75", "at": "2026-11-20T10:45:00+08:00"},
                              {"kind": "breach", "at": "2026-11-20T11:00:00+08:00"}]}),
]
GCP_CALLS = [
    ("classify_severity", {"text": "x"}, {"severity": "P1"}),
    ("pick_vendor_support_path", {"vendor": "gcp", "severity": "P1"},
     {"vendor": "gcp", "case_severity": {"name": "P2 - High impact: service use severely impaired", "api_code": "P2"},
      "status_pages": [{"name": "Google Cloud Service Health", "url": "https://status.cloud.google.com/"}]}),
    ("compute_sla_deadlines", {"severity": "P1"},
     {"severity": "P1", "opened_at": "2026-11-20T08:00:00Z", "timezone": "UTC", "first_response_due": "2026-11-20T12:00:00Z",
      "updates": [{"kind": "customer_update", "at": "2026-11-20T12:00:00Z"}, {"kind": "internal_update", "at": "2026-11-20T16:00:00Z"}],
      "escalation_triggers": [{"kind": "at_risk_50", "at": "2026-11-20T10:00:00Z"}, {"kind": "at_risk_75", "at": "2026-11-20T11:00:00Z"},
                              {"kind": "breach", "at": "2026-11-20T12:00:00Z"}]}),
]

# --- hand-written answers ----------------------------------------------------------------------

EN = """# Checkout 503s in us-east-1

## Severity and impact
Severity: **P1**. About 30% of checkout requests in us-east-1 fail with HTTP 503 since 14:00 UTC; there is no workaround, so revenue is hit directly. Other regions look healthy.

## Provider status
Checked https://health.aws.amazon.com/health/status at 14:10 UTC: no open event for us-east-1 yet, so the platform is neither confirmed nor ruled out.

## Evidence checklist (collect while mitigating)
- ALB 5xx count and target response time in CloudWatch, last 2 h
- Application logs for failed checkout requests, with request ids
- CloudTrail: deploys and config changes since 12:00 UTC
- One trace of a failing and one of a healthy request

## Escalation and SLA
- Open a *Production system down* case (severity code `urgent`) in AWS Support Center.
- First response is due by 15:00 UTC; at-risk checkpoints 14:30 and 14:45 UTC.
- If there is no reply by 15:00 UTC, call the TAM and raise it in the case.

## War room and comms
Bridge in #inc-checkout-503 with the incident commander, checkout on-call, payments lead and support lead. Internal update every 30 minutes; next customer update on our status page at 18:00 UTC.

## Open questions
- Did a deploy land between 13:30 and 14:00 UTC?
- Is only us-east-1a affected or the whole region?
- Does AWS see elevated 503s on its side?
"""

RU = """## Классификация и масштаб
Серьёзность: **P1**. С 14:05 по Москве база заказов в ru-central1 не отвечает примерно на 20% запросов, обходного пути нет; страдают оформление и оплата заказов.

## Страница статуса
Проверили status.yandex.cloud в 14:15 МСК: по ru-central1 инцидентов не опубликовано, сбой платформы пока не подтверждён.

## Сбор доказательств
- Метрики кластера Managed PostgreSQL: CPU, соединения, задержка репликации за 2 часа
- Логи приложения по упавшим запросам с request id
- Журнал аудита: изменения конфигурации и выкладки с 12:00 МСК
Собираем параллельно с восстановлением.

## Эскалация и SLA
- Открываем обращение в поддержку Yandex Cloud с приоритетом «Issue, important priority».
- Первый ответ — до 18:05 МСК; контрольные точки 16:05 и 17:05 МСК.
- Если к 18:05 МСК ответа нет, звоним аккаунт-менеджеру.

## Штаб и коммуникации
Канал #inc-orders-db: руководитель инцидента, дежурный DBA, лид платежей, лид поддержки. Внутренние обновления каждые 30 минут, следующее обновление для клиентов — в 18:05 МСК.

## Нерешённые вопросы
- Что выкатывали между 13:30 и 14:05?
- Затронута одна зона или весь регион?
- Видит ли Yandex Cloud проблему на своей стороне?
"""

ZH = """## 事件分级与影响范围
级别：P1。自北京时间10:00起，cn-hangzhou 的 RDS 实例连接数打满，结账失败率约40%，没有临时方案。

## 状态页检查
已于10:05查看 status.aliyun.com：杭州地域 RDS 暂无公开事件，尚不能认定为云厂商故障。

## 证据收集清单（与止损并行）
- 云监控：RDS 连接数、CPU、IOPS（近2小时）
- SLS：结账接口错误日志，带请求ID
- 操作审计（ActionTrail）：近24小时的变更记录

## 升级路径与SLA跟踪
- 在阿里云控制台提交「紧急」级别工单。
- 首次响应截止：11:00（北京时间）；风险检查点 10:30、10:45。
- 若11:00仍无回复，联系客户经理。

## 作战室与沟通计划
钉钉作战群：事件指挥官、DBA值班、支付负责人、客服负责人。内部每30分钟同步一次，下次对客户更新在14:00。

## 遗留问题
- 10:00前是否有发布或配置变更？
- 是否需要临时扩容连接数上限？
- 阿里云是否确认平台侧问题？
"""

GCP = """## What's happening
Google's own priority for this is P2 (High impact), but on our P0–P3 scale this is **P1**: the checkout API in us-central1 returns 500 for about 30% of customers since 08:00 UTC, with no workaround.

## Status page
Checked status.cloud.google.com at 08:10 UTC: no incident posted for us-central1.

## Evidence
- Cloud Monitoring: 5xx ratio and latency of the checkout backend service, last 2 h
- Cloud Logging: failed requests with trace ids
- Audit logs: deploys and IAM or config changes since 06:00 UTC

## Escalation and SLA
- File a **P2** case in the Google Cloud console (Support > Cases); Enhanced Support answers P2 within 4 hours.
- First response due 12:00 UTC; at-risk checkpoints 10:00 and 11:00 UTC.
- No reply by 12:00 UTC: ask the Technical Account Manager to escalate.

## Communication
Bridge in #inc-checkout with the incident commander, the checkout on-call and the support lead; internal updates every 30 minutes, next customer update 12:00 UTC.

## Unresolved items
- What changed between 07:30 and 08:00 UTC?
- Are other regions seeing 500s too?
"""

VENDOR_EN = """## Case severity
File as **Production system down** (API severity code `urgent`): checkout fails for 30% of customers in us-east-1 with no workaround, which matches AWS's "important functions of your application are unavailable".

## Response target
Business Support+ commits to a first response within 60 minutes, 24x7. The case is opened at 14:00 UTC, so the response is due 15:00 UTC.

## How to open the case
AWS Support Center > Create case (console.aws.amazon.com/support), or from the CLI:
`aws support create-case --severity-code urgent --issue-type technical --service-code <code> --category-code <code> --subject "Checkout 503 in us-east-1" --communication-body "..."`

## Case text
Subject: Checkout 503s for 30% of requests in us-east-1 since 14:00 UTC. Impact: customers cannot pay, revenue at risk. Resources: ALB app/checkout-prod/1a2b3c, target group checkout-tg, region us-east-1. Timeline: errors started 14:00 UTC, no deploy since 11:40 UTC. Ask: engage an engineer on the load balancer side and update us every 30 minutes.

## Who to call and when
If there is no response by 15:00 UTC, use the phone option in the case and page the TAM; at 14:45 UTC warn the account team that the case is at risk.

## Status page
health.aws.amazon.com/health/status showed no us-east-1 event at 14:10 UTC; link the Personal Health Dashboard view in the case.
"""

BRIEF_SECTIONS_EN = ["Summary and target", "Impact", "Issue description", "Reproduction steps", "What has been tried",
                     "Customer communication", "What is needed", "Follow-up cadence"]
BRIEF_SECTIONS_RU = ["Суть и адресат", "Влияние", "Описание проблемы", "Шаги воспроизведения", "Что уже сделано",
                     "Коммуникация с клиентом", "Что требуется", "График контроля"]
BRIEF_SECTIONS_ZH = ["摘要与升级对象", "影响", "问题描述", "复现步骤", "已尝试的措施", "客户沟通", "需要的支持", "跟进节奏"]
VAGUE = {"en": "We are looking into this and will share more details as soon as we know more.",
         "ru": "Мы разбираемся в ситуации и сообщим подробности, как только что-то станет известно.",
         "zh": "我们正在处理中，有进一步消息会及时同步。"}


def one_sentence_brief(lang: str) -> str:
    heads = {"en": BRIEF_SECTIONS_EN, "ru": BRIEF_SECTIONS_RU, "zh": BRIEF_SECTIONS_ZH}[lang]
    return "\n\n".join(f"## {h}\n{VAGUE[lang]}" for h in heads)


def swap(text: str, a: str, b: str) -> str:
    """Swap the bodies under two headings (a flaw: every heading is there, the content is not)."""
    parts = text.split("\n## ")
    idx = {p.split("\n", 1)[0]: n for n, p in enumerate(parts)}
    ia, ib = idx[a], idx[b]
    ha, ba = parts[ia].split("\n", 1)
    hb, bb = parts[ib].split("\n", 1)
    parts[ia], parts[ib] = f"{ha}\n{bb}", f"{hb}\n{ba}"
    return "\n## ".join(parts)


def replace_body(text: str, heading: str, body: str) -> str:
    parts = text.split("\n## ")
    for n, p in enumerate(parts):
        if p.split("\n", 1)[0] == heading:
            parts[n] = f"{heading}\n{body}\n"
    return "\n## ".join(parts)


def grade(answer: str, calls, skill: str = "incident-triage", language: str = "en") -> GradeResult:
    case = Case(id="t", skill=skill, language=language, incident="incident text")
    return grade_transcript(engine_transcript("t", skill, language, "incident", answer, calls), case)


def failed(res: GradeResult) -> set[str]:
    return set(res.failures())


def item(res: GradeResult, item_id: str):
    return next(i for i in res.items if i.id == item_id)


# --- good answers pass (false-fail classes) ----------------------------------------------------

@pytest.mark.parametrize("answer,calls,lang", [(EN, AWS_CALLS, "en"), (RU, YC_CALLS, "ru"), (ZH, ALI_CALLS, "zh"),
                                               (GCP, GCP_CALLS, "en")], ids=["en", "ru", "zh", "gcp"])
def test_good_answers_pass(answer, calls, lang):
    res = grade(answer, calls, language=lang)
    assert res.passed, [(i.id, i.reason) for i in res.items if not i.passed] + [(c.id, c.detail) for c in res.checks if not c.passed]


@pytest.mark.parametrize("heading,lang,base,calls", [
    ("Unresolved items", "en", EN, AWS_CALLS), ("Outstanding questions", "en", EN, AWS_CALLS),
    ("Нерешённые вопросы", "ru", RU, YC_CALLS), ("Что уточнить", "ru", RU, YC_CALLS),
    ("遗留问题", "zh", ZH, ALI_CALLS), ("待确认问题", "zh", ZH, ALI_CALLS),
])
def test_synonym_headings_for_open_questions(heading, lang, base, calls):
    old = {"en": "Open questions", "ru": "Нерешённые вопросы", "zh": "遗留问题"}[lang]
    res = grade(base.replace(f"## {old}", f"## {heading}"), calls, language=lang)
    assert item(res, "open_questions").passed, item(res, "open_questions").reason


def test_whats_happening_heading_is_the_classification():
    res = grade(EN.replace("## Severity and impact", "## What's happening"), AWS_CALLS)
    assert item(res, "classification").passed and res.passed


def test_bold_label_and_numbered_headings():
    bold = EN.replace("## Severity and impact\nSeverity: **P1**.", "**Severity and impact:** P1.")
    bold = bold.replace("## Provider status\n", "**Provider status**\n")
    numbered = EN.replace("## Evidence checklist (collect while mitigating)", "3. Evidence checklist").replace(
        "## Open questions", "6) Open questions")
    for text in (bold, numbered):
        res = grade(text, AWS_CALLS)
        assert res.passed, [(i.id, i.reason) for i in res.items if not i.passed]


def test_two_column_table_answer():
    table = """| Section | Content |
|---|---|
| Severity | P1: checkout returns 503 for about 30% of customers in us-east-1, no workaround |
| Status page | health.aws.amazon.com checked at 14:10 UTC, no event posted for us-east-1 |
| Evidence | CloudWatch ALB 5xx and latency, app logs with request ids, CloudTrail changes since 12:00 UTC |
| Escalation & SLA | Production system down case in AWS Support Center; first response due 15:00 UTC, call the TAM if no reply by then |
| War room | #inc-checkout-503 bridge with the IC, checkout on-call and support lead; updates every 30 minutes |
| Open questions | Did a deploy land just before 14:00 UTC? Is the whole region affected? |
"""
    res = grade(table, AWS_CALLS)
    assert res.passed, [(i.id, i.reason) for i in res.items if not i.passed] + [(c.id, c.detail) for c in res.checks if not c.passed]


def test_p0_p3_scale_is_not_read_as_p0():
    text = EN.replace("Severity: **P1**.", "On our P0–P3 scale this is P1.")
    res = grade(text, AWS_CALLS)
    sev = next(c for c in res.checks if c.id == "severity")
    assert sev.passed, sev.detail


def test_google_priority_named_first_does_not_count_as_internal_level():
    res = grade(GCP, GCP_CALLS)
    checks = {c.id: c for c in res.checks}
    assert checks["severity"].passed, checks["severity"].detail
    assert checks["vendor_severity"].passed, checks["vendor_severity"].detail


def test_vendor_escalation_needs_no_internal_level():
    res = grade(VENDOR_EN, AWS_CALLS, skill="vendor-escalation")
    assert "severity" not in {c.id for c in res.checks}
    assert res.passed, [(i.id, i.reason) for i in res.items if not i.passed] + [(c.id, c.detail) for c in res.checks if not c.passed]


# --- hollow or wrong answers fail (false-pass classes) -----------------------------------------

@pytest.mark.parametrize("answer,calls,lang,heading,body,item_id", [
    (EN, AWS_CALLS, "en", "Evidence checklist (collect while mitigating)", "To be determined once the investigation completes.", "evidence"),
    (EN, AWS_CALLS, "en", "War room and comms", "Will be updated as needed. Details to follow.", "communication"),
    (RU, YC_CALLS, "ru", "Штаб и коммуникации", "Будет уточнено после завершения расследования.", "communication"),
    (ZH, ALI_CALLS, "zh", "作战室与沟通计划", "待定，待定，待定。", "communication"),
    (ZH, ALI_CALLS, "zh", "遗留问题", "待补充。后续更新。", "open_questions"),
    (EN, AWS_CALLS, "en", "Open questions", "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.", "open_questions"),
    (RU, YC_CALLS, "ru", "Нерешённые вопросы", "Lorem ipsum dolor sit amet, consectetur adipiscing elit.", "open_questions"),
])
def test_placeholder_and_filler_bodies_fail(answer, calls, lang, heading, body, item_id):
    res = grade(replace_body(answer, heading, body), calls, language=lang)
    it = item(res, item_id)
    assert not it.passed
    assert body.split("。")[0].split(".")[0][:12].lower() in (it.reason + it.evidence).lower()  # quotes the evidence


@pytest.mark.parametrize("answer,calls,lang,heading", [
    (EN, AWS_CALLS, "en", "Provider status"), (RU, YC_CALLS, "ru", "Страница статуса"), (ZH, ALI_CALLS, "zh", "状态页检查"),
])
def test_heading_repeated_as_body_fails(answer, calls, lang, heading):
    res = grade(replace_body(answer, heading, heading + "."), calls, language=lang)
    it = item(res, "status_page")
    assert not it.passed and "echo" in it.reason


@pytest.mark.parametrize("answer,calls,lang,a,b", [
    (EN, AWS_CALLS, "en", "Provider status", "Evidence checklist (collect while mitigating)"),
    (RU, YC_CALLS, "ru", "Страница статуса", "Сбор доказательств"),
    (ZH, ALI_CALLS, "zh", "状态页检查", "证据收集清单（与止损并行）"),
])
def test_bodies_under_the_wrong_headings_fail(answer, calls, lang, a, b):
    res = grade(swap(answer, a, b), calls, language=lang)
    assert {"item:status_page", "item:evidence"} <= failed(res)
    reasons = item(res, "evidence").reason + item(res, "status_page").reason
    assert "misplaced" in reasons or "swapped" in reasons  # swapped: each body reads as the other item


@pytest.mark.parametrize("lang", ["en", "ru", "zh"])
def test_one_vague_sentence_under_every_brief_heading_fails_every_item(lang):
    res = grade(one_sentence_brief(lang), AWS_CALLS, skill="escalation-brief", language=lang)
    assert all(not i.passed for i in res.items), [(i.id, i.reason) for i in res.items if i.passed]
    assert VAGUE[lang][:10] in item(res, "impact").reason


def test_repeated_text_across_sections_fails_the_later_section():
    comms = "Bridge in #inc-checkout-503 with the incident commander, checkout on-call, payments lead and support lead."
    text = replace_body(EN, "Open questions", comms)
    text = replace_body(text, "War room and comms", comms + " Internal update every 30 minutes.")
    res = grade(text, AWS_CALLS)
    assert "repeated" in item(res, "open_questions").reason


@pytest.mark.parametrize("answer,calls,lang,old,new", [
    (EN, AWS_CALLS, "en", "Severity: **P1**.", "The first page at 14:02 UTC went out as P1. Severity now: **P3**, although the classifier said P1."),
    (EN, AWS_CALLS, "en", "Severity: **P1**.", "Severity: **P3** (downgraded from P1)."),
    (RU, YC_CALLS, "ru", "Серьёзность: **P1**.", "Сначала дежурный завёл P1. Серьёзность: **P3**, хотя классификатор дал P1."),
    (ZH, ALI_CALLS, "zh", "级别：P1。", "最初按P1通报。级别：P3，虽然工具判定为P1。"),
])
def test_downgrade_without_a_real_reason_fails(answer, calls, lang, old, new):
    assert old in answer
    res = grade(answer.replace(old, new), calls, language=lang)
    sev = next(c for c in res.checks if c.id == "severity")
    assert sev.status == "fail" and "P3" in sev.detail, sev.detail


def test_downgrade_with_a_reason_of_substance_passes():
    new = ("Severity: **P2**. The classifier returned P1, but we downgrade to P2 because the 503s hit only the "
           "EU storefront, 4% of revenue, and retries succeed within 2 minutes.")
    res = grade(EN.replace("Severity: **P1**.", new), AWS_CALLS)
    sev = next(c for c in res.checks if c.id == "severity")
    assert sev.passed, sev.detail


@pytest.mark.parametrize("answer,calls,lang,line", [
    (EN, AWS_CALLS, "en", "- If nothing comes back, ping the TAM at 16:30 UTC."),
    (RU, YC_CALLS, "ru", "- Звоним аккаунт-менеджеру в 19:40 МСК."),
    (ZH, ALI_CALLS, "zh", "- 12:20 联系客户经理。"),
])
def test_invented_escalation_time_without_a_deadline_word_fails(answer, calls, lang, line):
    marker = {"en": "## War room and comms", "ru": "## Штаб и коммуникации", "zh": "## 作战室与沟通计划"}[lang]
    res = grade(answer.replace(marker, line + "\n\n" + marker), calls, language=lang)
    dl = next(c for c in res.checks if c.id == "deadline")
    invented = re.search(r"\d{1,2}:\d{2}", line).group(0)
    assert dl.status == "fail" and invented in dl.detail, dl.detail


def test_aws_case_filed_lower_than_the_tool_fails_although_the_right_name_appears():
    text = EN.replace("- Open a *Production system down* case (severity code `urgent`) in AWS Support Center.",
                      "- Open a *Production system impaired* case in AWS Support Center; not *Production system down*, since checkout still serves 70% of traffic.")
    res = grade(text, AWS_CALLS)
    vs = next(c for c in res.checks if c.id == "vendor_severity")
    assert vs.status == "fail" and "impaired" in vs.detail, vs.detail


def test_russian_answer_switching_to_english_fails_with_the_paragraph_quoted():
    english_tail = """## War room
Bridge in #inc-orders-db with the incident commander, the on-call DBA and the support lead. We will post internal updates every 30 minutes and the next customer update at 18:05 MSK.

## Open questions
- What was deployed between 13:30 and 14:05, and was the connection pool size changed?
- Is it one zone or the whole region, and does Yandex Cloud see it on its side?
"""
    head = RU.split("## Штаб и коммуникации")[0]
    res = grade(head + english_tail, YC_CALLS, language="ru")
    lang = next(c for c in res.checks if c.id == "language")
    assert lang.status == "fail" and "en" in lang.detail and "Bridge" in lang.detail


# More good styles found while checking held-out answers: a step/when table inside a section, numbered
# "N. Label: content" lines, Chinese questions ending in "？".
STEP_TABLE_EN = """# Incident triage: 503 errors on checkout (us-east-1)

**TL;DR:** P1. Roughly a third of checkout requests in us-east-1 are failing with 503s since 14:00 UTC. No workaround. We're opening a Production system down case with AWS now.

## 1. Severity & impact scope
- **Severity:** P1 (classifier: B-partial-outage)
- **Affected:** ~30% of customers hitting checkout in us-east-1; other regions fine
- **Business impact:** direct revenue loss on every failed order

## 2. Provider status page
I haven't been able to confirm anything on the AWS Health Dashboard yet — nothing posted for us-east-1 as of now. Will re-check every 15 minutes.

## 3. Evidence to gather (in parallel)
1. ALB target health + 5xx metrics from CloudWatch
2. checkout-service logs around 14:00 UTC
3. Recent deploys / config changes (CloudTrail)

## 4. Escalation & SLA
| Step | When |
|---|---|
| Open AWS case, severity "Production system down" (urgent) | now |
| First response due | 15:00 UTC |
| Escalate to TAM if no response | 15:00 UTC |

## 5. Communication
War room: #inc-checkout. Members: IC, checkout on-call, SRE, support lead. Internal updates every 30 min; customer status page update at 18:00 UTC.

## 6. Open questions
- What changed just before 14:00?
- Is the issue isolated to one AZ?
"""

NUMBERED_LABELS_RU = """Сводка по инциденту

1. Уровень: P1 — частичный отказ, ~20% запросов к базе заказов в ru-central1 с 14:05 МСК падают, обходного пути нет.
2. Статус провайдера: на status.yandex.cloud пока ничего нет (проверено в 14:10 МСК).
3. Что собираем параллельно: метрики Managed PostgreSQL (соединения, CPU), логи orders-api, журнал аудита за утро.
4. Эскалация: обращение в поддержку Yandex Cloud с приоритетом «Issue, important priority»; первый ответ — до 18:05 МСК; если молчат — к 18:05 подключаем аккаунт-менеджера.
5. Коммуникации: штаб в канале #inc-orders, обновления каждые 30 минут, клиентам — в 18:05 МСК.
6. Открытые вопросы: был ли релиз около 14:00? затронута ли только одна зона?
"""

QUESTIONS_ZH = """### 严重程度
P1。北京时间10:00起 cn-hangzhou RDS 连接数打满，约40%结账失败，暂无绕过方案。

### 状态页
尚未查看阿里云状态页（status.aliyun.com），值班同学马上确认。

### 证据
并行收集：云监控连接数与CPU、SLS错误日志、慢查询日志、ActionTrail变更记录。

### 升级与SLA
提交「紧急」工单；首次响应截止11:00（北京时间），10:30、10:45为风险检查点；11:00无响应联系客户经理。

### 沟通
钉钉群「订单库故障」，每30分钟内部同步，14:00对外更新。

### 待确认问题
- 是否有人调整过连接池配置？
- 是否需要临时扩容？
"""


@pytest.mark.parametrize("answer,calls,lang", [(STEP_TABLE_EN, AWS_CALLS, "en"), (NUMBERED_LABELS_RU, YC_CALLS, "ru"),
                                               (QUESTIONS_ZH, ALI_CALLS, "zh")], ids=["table-en", "labels-ru", "q-zh"])
def test_more_good_styles_pass(answer, calls, lang):
    res = grade(answer, calls, language=lang)
    assert res.passed, [(i.id, i.reason) for i in res.items if not i.passed] + [(c.id, c.detail) for c in res.checks
                                                                               if not c.passed]


GCP_VENDOR_EN = """## Vendor case severity
Open the Google Cloud case at **P2 (High impact)** — the checkout API is severely impaired for ~30% of users, but not fully down, so P1 (Critical) would overstate it under Google's definitions.

## Response target and deadline
Enhanced Support: P2 first response within 4 hours, 24/7. Case opened at 08:00 UTC → first response due **12:00 UTC**.

## How to open the case
Console: Support > Cases > Create case, or via the Cloud Support API (`POST https://cloudsupport.googleapis.com/v2/projects/<id>/cases`, priority "P2").

## What to write in the case
Checkout API (Cloud Run service checkout-api, us-central1) returns HTTP 500 for about 30% of requests since 08:00 UTC. No recent deploys. Please engage an engineer and send updates every hour.

## Escalation contacts
At 10:00 UTC (50% of the target) ping our TAM; at 11:00 UTC ask the TAM to escalate the case; at 12:00 UTC request a manager escalation in the case.

## Status page
status.cloud.google.com — no incident for Cloud Run us-central1 when checked at 08:05 UTC.
"""

BRIEF_RU = """# Эскалация: оплата в ru-central1

## Суть и адресат
P1: около 20% запросов к базе заказов падают с 14:05 МСК. Передаём в разработку (команда платформы данных).

## Влияние на бизнес
Клиенты не могут оплатить заказы; за час теряем около 300 заказов. SLA с крупными клиентами под угрозой.

## Описание проблемы
С 14:05 МСК запросы orders-api к кластеру PostgreSQL завершаются таймаутом у каждого пятого запроса. Ошибка плавающая, видна во всех зонах. Нагрузка на кластер в норме.

## Шаги воспроизведения
Не воспроизводится по запросу: ошибки случайные. Ожидаемо — ответ за 50 мс, фактически — таймаут 5 секунд примерно в 20% вызовов.

## Что уже сделано
Перезапустили пул соединений в 14:20 — без эффекта. Переключили реплику — без эффекта.

## Коммуникация с клиентом
Крупным клиентам отправлено уведомление в 14:30; ждут обновления к 18:05 МСК.

## Что требуется и к какому сроку
Найти причину таймаутов до 18:05 МСК (срок первого ответа Yandex Cloud по обращению «Issue, important priority»).

## График контроля и деэскалация
Проверяем каждые 30 минут; деэскалируем, когда ошибок нет 1 час.
"""

TERSE_VENDOR_ZH = """## 工单级别
按阿里云定义提交「紧急 (emergency)」工单：结账失败率约40%，业务严重受损。

## 响应时限
首次响应截止：11:00（北京时间）。

## 提交方式
阿里云控制台 > 工单 > 新建工单，产品选「云数据库RDS版」。

## 工单内容
实例 rm-bp1xxxx（杭州），10:00 起连接数打满，结账失败约40%。请求数据库专家立即介入，每30分钟同步进展。

## 升级联系人
10:30 无人受理先电话催单；10:45 联系客户经理；11:00 仍未响应请TAM升级。

## 状态页
status.aliyun.com 未见杭州 RDS 相关事件（10:05 查看）。
"""


@pytest.mark.parametrize("answer,calls,lang,skill", [
    (GCP_VENDOR_EN, GCP_CALLS, "en", "vendor-escalation"), (BRIEF_RU, YC_CALLS, "ru", "escalation-brief"),
    (TERSE_VENDOR_ZH, ALI_CALLS, "zh", "vendor-escalation")], ids=["gcp-p2-en", "brief-ru", "terse-zh"])
def test_held_out_good_answers_pass(answer, calls, lang, skill):
    """Google's P2 filed with P1 named to reject it; a past notification time; a terse section with a figure."""
    res = grade(answer, calls, skill=skill, language=lang)
    assert res.passed, [(i.id, i.reason) for i in res.items if not i.passed] + [(c.id, c.detail) for c in res.checks
                                                                               if not c.passed]


BRIEF_BOLD_EN = """# Escalation brief — checkout 503s (us-east-1)

**TL;DR / severity / target:** P1, escalating to the Payments engineering team and AWS Support.

**Business impact:** ~30% of checkout attempts fail; at current traffic that is roughly $40k/hour in lost orders. Enterprise SLA (99.9%) breach expected within 2 hours.

**What's happening:** Since 14:00 UTC the ALB in front of checkout returns 503 for about a third of requests. Errors are spread across all AZs. Latency for successful requests is normal.

**Steps to reproduce:**
1. `curl -s -o /dev/null -w "%{http_code}" https://shop.example.com/api/checkout` in a loop
2. Expected: 200 every time. Actual: 503 in ~30% of calls.

**Already tried:** restarted 4 of 12 targets (no change); rolled back the 13:40 deploy (no change).

**Customer comms:** status page updated at 14:20 UTC; next customer update promised for 18:00 UTC.

**The ask:** Payments eng to join the bridge now; AWS case "Production system down" — first response due 15:00 UTC.

**Follow-up:** check in every 30 minutes; de-escalate to P2 when the error rate stays below 1% for an hour.
"""

COORDINATOR_ZH = """## 升级类型与级别
技术升级给厂商（阿里云），内部定级 P1，涉及结账主链路。

## 影响
约40%的结账失败，每小时损失约3000单；两家大客户已经来电投诉。

## 时间线
- 10:00 监控告警，结账失败率上升
- 10:05 确认 RDS 连接数打满
- 10:12 提交紧急工单
- 当前：等待阿里云数据库工程师响应

## 解决计划
- 10:30 前：DBA 王磊评估临时调高 max_connections
- 11:00 前：阿里云首次响应（紧急 (emergency) 工单），负责人：值班经理
- 14:00：如未恢复，升级到技术服务经理

## 客户沟通
客服负责人现在给两家大客户发确认邮件，下次更新 14:00。

## 关系修复与复盘
恢复后 3 个工作日内发复盘报告；按合同评估补偿；复盘会上确认连接池上限的配置规范。
"""


@pytest.mark.parametrize("answer,calls,lang,skill", [
    (BRIEF_BOLD_EN, AWS_CALLS, "en", "escalation-brief"), (COORDINATOR_ZH, ALI_CALLS, "zh", "escalation-coordinator")],
    ids=["brief-en", "coordinator-zh"])
def test_more_held_out_good_answers_pass(answer, calls, lang, skill):
    """An API code that is also a word ("latency is normal") is not a case severity; a timeline list in zh."""
    res = grade(answer, calls, skill=skill, language=lang)
    assert res.passed, [(i.id, i.reason) for i in res.items if not i.passed] + [(c.id, c.detail) for c in res.checks
                                                                               if not c.passed]
