# ruff: noqa: E501  (the answers are prose; wrapping them would change what is graded)
"""Build the ``handwritten`` suite: answers written by hand in loose real-world styles, tool results from the real engines.

The core suite's answers are assembled from templates. These answers are written by hand:

- the headings are messy (emoji, numbering, labels with inline content, tables, 12-hour
  times, full-width punctuation);
- each answer states the figures the tools returned when this script was first run.

The tool results are computed here by the project's own functions (``classify_severity``,
``compute_sla_deadlines``, ``pick_vendor_support_path``, ``detect_language``) and stored in the
transcripts. The recordings stay valid if an engine changes later. If you re-run this script
after an engine change, re-check that each answer still states what its tools returned.
Run:  python evals/tools/make_handwritten_suite.py
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from escalation_kit.language.detect import detect_language
from escalation_kit.severity.classify import classify_severity
from escalation_kit.sla.clock import compute_sla_deadlines
from escalation_kit.vendors.path import pick_vendor_support_path

SUITE = Path(__file__).resolve().parents[1] / "suites" / "handwritten"

EN_GOOD = """🚨 **Checkout 502s in ru-central1** (summary for the on-call channel)

### 1) Classification & impact
| | |
|---|---|
| Severity | **P1** (major degradation) |
| Scope | ~30% of customers get HTTP 502 on checkout in ru-central1; no workaround |

### 2) Status page check
**Status page:** status.yandex.cloud shows no open incident for ru-central1 as of 09:30 MSK, so we cannot blame the platform yet.

### 3) Evidence checklist (collect in parallel with mitigation)
- Load balancer 5xx rate and upstream latency for checkout, last 2 h
- App logs for failing requests with request ids
- Deploy/config changes since yesterday
- One trace of a failing and one of a healthy request

### 4) Escalation path & SLA
- File an *Issue, important priority* request with Yandex Cloud support (console.yandex.cloud/support).
- First response due: 10:20 AM MSK (case opened 09:20 AM MSK).
- At-risk checkpoints: 09:50 and 10:05 MSK; escalate to the account team if nothing arrives by 10:20 MSK.

### 5) War room & comms
Bridge in #inc-checkout: incident commander, checkout on-call, payments lead, support lead. Internal update every 30 min; next customer update due 1:20 PM MSK.

### 6) Open questions
- Did anything deploy right before 09:20?
- Is it only ru-central1-a or the whole region?
- Has Yandex Cloud seen the same on its side?
"""

EN_NO_CLOCK = EN_GOOD.replace("- First response due: 10:20 AM MSK (case opened 09:20 AM MSK).\n", "- First response due within one hour of opening the case.\n").replace(
    "- At-risk checkpoints: 09:50 and 10:05 MSK; escalate to the account team if nothing arrives by 10:20 MSK.", "- Escalate to the account team if nothing arrives in time.").replace(
    "Internal update every 30 min; next customer update due 1:20 PM MSK.", "Internal update every 30 min; customers hourly.")

RU_GOOD = """Инцидент: база заказов в ru-central1
=====================================

**Классификация и масштаб:** P0. Классификатор дал P1, но мы повышаем до P0: таймауты у ~20% запросов к базе заказов уже рвут оплату, а обходного пути нет, и очередь неоплаченных заказов растёт.

**Проверка страницы статуса:** status.yandex.cloud в 14:10 по Москве — для ru-central1 ничего не опубликовано; сбой платформы не подтверждён.

Сбор доказательств
------------------
1. Метрики кластера: CPU, соединения, задержка репликации за 2 часа.
2. Медленные запросы и блокировки за последний час.
3. Логи приложения с request id упавших запросов.
Всё собираем параллельно с восстановлением, не после.

Путь эскалации и SLA
--------------------
Обращение в поддержку Yandex Cloud: «Issue, important priority», открыто в 14:05 МСК.
Первый ответ — до 15:05 МСК; контрольные точки 14:35 и 14:50 МСК.
Если к 15:05 МСК ответа нет — звоним аккаунт-менеджеру и поднимаем приоритет.

Штаб и коммуникации
-------------------
Канал #inc-orders-db: руководитель инцидента, дежурный DBA, лид платежей, лид поддержки. Внутренние обновления каждые 30 минут, клиентам — каждый час.

Открытые вопросы
----------------
- Что изменилось в 14:00 — выкладка, миграция, рост нагрузки?
- Затронута одна зона или весь регион?
- Подтверждает ли Yandex Cloud проблему на своей стороне?
"""

RU_UNEXPLAINED = RU_GOOD.replace(
    "P0. Классификатор дал P1, но мы повышаем до P0: таймауты", "P0: таймауты")

ZH_GOOD = """## 一、事件分级与影响范围
P1（重大降级）：自北京时间10:00起，cn-hangzhou 的 RDS 实例连接数打满，结账失败率约40%，没有临时方案。

## 二、状态页检查
已于10:05查看 status.aliyun.com（阿里云健康看板）：杭州地域 RDS 暂无公开事件，尚不能认定为云厂商故障。

## 三、证据收集清单（与止损并行）
- 云监控：RDS 连接数、CPU、IOPS（近2小时）
- SLS：结账接口错误日志，带请求ID
- RDS 慢查询日志导出
- 操作审计（ActionTrail）：近24小时的变更记录

## 四、升级路径与SLA跟踪
- 在阿里云中国站控制台提交「紧急 (emergency)」级别工单。
- 首次响应截止：2026-11-20 11:00（北京时间）。
- 检查点：10:30（北京时间）；若11:00仍无回复，联系客户经理。

## 五、作战室与沟通计划
钉钉作战群：事件指挥官、DBA值班、支付负责人、客服负责人。内部每30分钟同步一次，对客户每小时更新一次。

## 六、待解决问题
- 10:00前是否有发布或配置变更？
- 是否需要临时扩容连接数上限？
- 阿里云是否确认平台侧问题？
"""

ZH_PLACEHOLDER = ZH_GOOD.replace(
    "钉钉作战群：事件指挥官、DBA值班、支付负责人、客服负责人。内部每30分钟同步一次，对客户每小时更新一次。", "- 待定")

CASES = [
    {"id": "hw-en-checkout-502", "language": "en", "vendor": "yandex", "opened_at": "2026-11-20T09:20:00+03:00",
     "timezone": "Europe/Moscow", "expected_severity": ["P1"],
     "incident": "Since 09:20 MSK checkout on Yandex Cloud (ru-central1) returns 502 for about 30% of customers; no workaround.",
     "answers": {"good": (EN_GOOD, "pass", []), "no_clock_deadline": (EN_NO_CLOCK, "fail", ["check:deadline"])}},
    {"id": "hw-ru-orders-db", "language": "ru", "vendor": "yandex", "opened_at": "2026-11-20T14:05:00+03:00",
     "timezone": "Europe/Moscow", "expected_severity": ["P0", "P1"],
     "incident": "С 14:05 по Москве в ru-central1 база заказов не отвечает у ~20% запросов, обходного пути нет.",
     "answers": {"good_override_explained": (RU_GOOD, "pass", []),
                 "override_unexplained": (RU_UNEXPLAINED, "fail", ["check:severity"])}},
    {"id": "hw-zh-rds-connections", "language": "zh", "vendor": "alibaba-cn", "opened_at": "2026-11-20T10:00:00+08:00",
     "timezone": "Asia/Shanghai", "expected_severity": ["P1"],
     "incident": "从北京时间10:00开始，cn-hangzhou的RDS实例连接数打满，结账失败率约40%，没有临时方案。",
     "answers": {"good": (ZH_GOOD, "pass", []), "placeholder_section": (ZH_PLACEHOLDER, "fail", ["item:communication"])}},
]


def tool_calls(case: dict) -> list[tuple[str, dict, dict]]:
    """Run the real engines on the case, as a model following the skill would call them."""
    text = case["incident"]
    sev = classify_severity(text)
    calls = [("detect_language", {"text": text}, detect_language(text).model_dump(mode="json")),
             ("classify_severity", {"text": text}, sev.model_dump(mode="json"))]
    vargs = {"vendor": case["vendor"], "severity": sev.severity}
    calls.append(("pick_vendor_support_path", vargs, pick_vendor_support_path(**vargs).model_dump(mode="json")))
    sargs = {"severity": sev.severity, "opened_at": case["opened_at"], "vendor": case["vendor"],
             "timezone": case["timezone"]}
    calls.append(("compute_sla_deadlines", sargs, compute_sla_deadlines(**sargs).model_dump(mode="json")))
    return calls


def transcript(case: dict, answer: str, calls: list[tuple[str, dict, dict]]) -> str:
    ev = [{"event": "meta", "case_id": case["id"], "skill": "incident-triage", "model": "handwritten", "trial": 0,
           "language": case["language"], "source": "answer written by hand; tool results from the real engines"},
          {"event": "request", "turn": 0, "messages": [{"role": "user", "content": case["incident"]}]}]
    blocks = [{"type": "tool_use", "id": f"toolu_{i}", "name": n, "input": a} for i, (n, a, _) in enumerate(calls)]
    ev.append({"event": "response", "turn": 0, "id": f"msg_{case['id']}_0", "stop_reason": "tool_use",
               "content": blocks, "usage": {"input_tokens": 0, "output_tokens": 0}})
    for b, (_, _, result) in zip(blocks, calls, strict=True):
        ev.append({"event": "tool_call", "turn": 0, "id": b["id"], "name": b["name"], "input": b["input"],
                   "result": result, "is_error": False})
    ev.append({"event": "response", "turn": 1, "id": f"msg_{case['id']}_1", "stop_reason": "end_turn",
               "content": [{"type": "text", "text": answer}], "usage": {"input_tokens": 0, "output_tokens": 0}})
    ev.append({"event": "answer", "text": answer})
    ev.append({"event": "end"})
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in ev)


def build() -> None:
    (SUITE / "transcripts").mkdir(parents=True, exist_ok=True)
    out = []
    for case in CASES:
        calls = tool_calls(case)
        recs = []
        for name, (answer, expect, failures) in case["answers"].items():
            rel = f"transcripts/{case['id']}.{name}.jsonl"
            (SUITE / rel).write_text(transcript(case, answer, calls), encoding="utf-8")
            recs.append({"file": rel, "expect": expect, "failures": failures})
        out.append({"id": case["id"], "skill": "incident-triage", "language": case["language"],
                    "incident": case["incident"], "vendor": case["vendor"], "opened_at": case["opened_at"],
                    "timezone": case["timezone"], "expected_severity": case["expected_severity"],
                    "assertions": [{"order": ["detect_language", "classify_severity"]}], "recordings": recs})
    header = "# Generated by evals/tools/make_handwritten_suite.py (hand-written answers, real tool results).\n"
    (SUITE / "cases.yaml").write_text(header + yaml.safe_dump({"cases": out}, allow_unicode=True, sort_keys=False),
                                      encoding="utf-8")
    print(f"{len(out)} cases, {sum(len(c['recordings']) for c in out)} recordings")


if __name__ == "__main__":
    build()
