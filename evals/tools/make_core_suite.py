# ruff: noqa: E501  (the section bodies are prose in three languages; wrapping them hurts reading)
"""Build the ``core`` suite: cases for every skill with a contract, and synthetic recorded transcripts.

The recordings are written by this script, not captured from a model: each good answer is
assembled from the skill's contract (first heading per language) and per-role section bodies
in en / ru / zh, with tool results shaped like the core models. Each flawed answer is the
good one with ONE defect, and the case lists the exact failure ids the grader must report.
Re-run after a contract changes:  python evals/tools/make_core_suite.py
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parents[2]
try:  # an installed escalation_kit (editable or wheel) wins; a bare checkout uses its source tree
    import escalation_kit  # noqa: F401
except ImportError:
    sys.path.insert(0, str(ROOT / "server"))

from escalation_kit.skillpack.contracts import ContractItem, list_contract_skills, load_contract  # noqa: E402

SUITE = ROOT / "evals" / "suites" / "core"
LANGS = ("en", "ru", "zh")
LEVELS = ("P0", "P1", "P2", "P3")
TARGET_MIN = {"P0": 15, "P1": 60, "P2": 240, "P3": 720}

# Synthetic vendor tool results: shaped like vendors.VendorPath, figures as in research/vendors.yaml.
VENDORS = {
    "aws": {"vendor_name": "Amazon Web Services", "plan": "enterprise_support", "plan_name": "AWS Enterprise Support",
            "sev": {"P0": ("Business-critical system down", "critical"), "P1": ("Production system down", "urgent"),
                    "P2": ("Production system impaired", "high"), "P3": ("System impaired", "normal")},
            "status": ("AWS Health Dashboard", "https://health.aws.amazon.com/health/status"),
            "contact": "Technical Account Manager (TAM)", "channel": "Support Center console / aws support create-case"},
    "azure": {"vendor_name": "Microsoft Azure", "plan": "professional_direct", "plan_name": "Professional Direct",
              "sev": {"P0": ("Severity A", "critical"), "P1": ("Severity A", "critical"),
                      "P2": ("Severity B", "moderate"), "P3": ("Severity C", "minimal")},
              "status": ("Azure status", "https://azure.status.microsoft/en-us/status"),
              "contact": "ProDirect delivery manager", "channel": "Azure portal, Help + support"},
    "alibaba-cn": {"vendor_name": "Alibaba Cloud (China site)", "plan": "cn_enterprise",
                   "plan_name": "企业级支持计划", "sev": {"P0": ("紧急", "2"), "P1": ("紧急", "2"),
                                                       "P2": ("普通", "1"), "P3": ("普通", "1")},
                   "status": ("阿里云 健康看板", "https://status.aliyun.com/"),
                   "contact": "专属技术服务经理 (TAM)", "channel": "aliyun.com 工单 console"},
    "gcp": {"vendor_name": "Google Cloud", "plan": "enhanced", "plan_name": "Enhanced Support",
            "sev": {"P0": ("P1", "P1"), "P1": ("P2", "P2"), "P2": ("P3", "P3"), "P3": ("P4", "P4")},
            "status": ("Google Cloud Service Health", "https://status.cloud.google.com/"),
            "contact": "Technical Account Manager", "channel": "Cloud console, Support > Cases"},
    "yandex": {"vendor_name": "Yandex Cloud", "plan": "business", "plan_name": "Business",
               "sev": {"P0": ("Critical", "critical"), "P1": ("Critical", "critical"), "P2": ("Normal", "normal"),
                       "P3": ("Low", "low")},
               "status": ("Yandex Cloud status", "https://status.yandex.cloud/"),
               "contact": "account manager", "channel": "console.yandex.cloud/support"},
}

# Base incidents: (service, region, vendor, level, tz, opened local, symptom en/ru/zh, scope en/ru/zh)
INCIDENTS = [
    ("checkout-api", "cn-hangzhou", "alibaba-cn", "P1", "Asia/Shanghai", "2026-11-20 09:40",
     "checkout API returns HTTP 500 for about 40% of orders", "API оформления заказа отдаёт HTTP 500 примерно на 40% заказов",
     "结账接口约40%的订单返回HTTP 500", "paying customers in one region, card and wallet payments",
     "платящие клиенты в одном регионе, оплата картой и кошельком", "单一地域的付费客户，银行卡与钱包支付"),
    ("login", "us-east-1", "aws", "P0", "UTC", "2026-11-21 14:05",
     "nobody can log in: the auth service times out for every user", "никто не может войти: сервис авторизации не отвечает",
     "所有用户都无法登录，认证服务全部超时", "all users in every region, web and mobile",
     "все пользователи во всех регионах, веб и мобильные", "所有地域的全部用户，包括网页端和移动端"),
    ("report-export", "westeurope", "azure", "P2", "Europe/Berlin", "2026-11-18 11:15",
     "report exports take 20 minutes instead of 1", "выгрузка отчётов идёт 20 минут вместо одной",
     "报表导出需要20分钟而不是1分钟", "analysts of three enterprise tenants; a workaround exists",
     "аналитики трёх корпоративных клиентов; есть обходной путь", "三个企业租户的分析师，存在临时替代方案"),
    ("admin-console", "us-central1", "gcp", "P3", "UTC", "2026-11-19 16:30",
     "a chart label in the admin console is truncated", "в админ-консоли обрезается подпись графика",
     "管理控制台中的图表标签显示不完整", "internal admins only, cosmetic",
     "только внутренние администраторы, косметика", "仅内部管理员，属于界面问题"),
    ("payment-webhooks", "ru-central1", "yandex", "P1", "Europe/Moscow", "2026-11-22 10:20",
     "payment webhooks arrive 15 minutes late", "вебхуки оплаты приходят с опозданием на 15 минут",
     "支付回调延迟15分钟到达", "merchants relying on instant confirmation, about 30% of volume",
     "мерчанты с мгновенным подтверждением, около 30% оборота", "依赖即时确认的商户，约占交易量30%"),
    ("orders-db", "cn-shanghai", "alibaba-cn", "P0", "Asia/Shanghai", "2026-11-21 02:10",
     "the orders database lost writes after a failover; data loss is suspected",
     "после переключения базы заказов пропали записи; подозревается потеря данных",
     "订单数据库切换后写入丢失，疑似数据丢失", "every order written in the last hour, all customers",
     "все заказы за последний час, все клиенты", "最近一小时内写入的全部订单，影响所有客户"),
    ("push-notifications", "eu-west-1", "aws", "P2", "Europe/Moscow", "2026-11-17 19:45",
     "20% of mobile push notifications are delayed", "20% мобильных пуш-уведомлений приходят с задержкой",
     "约20%的移动推送通知延迟", "mobile users on Android; email fallback works",
     "пользователи Android; письма по почте доходят", "安卓移动用户，邮件通道正常"),
    ("sso", "eastasia", "azure", "P1", "Asia/Shanghai", "2026-11-20 21:00",
     "SSO sign-in fails for our largest enterprise tenant", "SSO-вход не работает у крупнейшего корпоративного клиента",
     "最大的企业租户SSO登录失败", "one strategic enterprise tenant, 4,000 seats",
     "один стратегический корпоративный клиент, 4000 мест", "一个战略级企业租户，4000个席位"),
]

# Levels the severity rubric (research/severity-rubric.md, B2/B4) allows besides the canonical one:
# delayed (not failing) payment webhooks for ~30% of volume sit between P1 and P2; lost writes
# with data loss only "suspected" are "at least P1" (B4 rule 1), P0 once confirmed.
ACCEPTABLE = {"payment-webhooks": ["P1", "P2"], "orders-db": ["P0", "P1"]}

TZ_LABEL = {("ru", "Europe/Moscow"): "МСК", ("zh", "Asia/Shanghai"): "北京时间"}

BODIES = {
    "en": {
        "severity": "{level}: {symptom}. Scope: {scope}. The level follows the rubric: production impact on a "
                    "core path, with the reach described above.",
        "status": "Checked {status_host} ({status_name}) at {checked}: nothing published for {service} in "
                  "{region} yet, so a provider-side fault is neither confirmed nor ruled out.",
        "evidence": "Collect these while mitigation goes on, not after it:\n- error rate and latency of {service} for "
                    "the last two hours (monitoring dashboard)\n- application logs of failing requests, with request "
                    "ids\n- deploys and config changes since yesterday (audit trail)\n- one failing and one healthy "
                    "trace",
        "sla": "- Case: {case_sev} with {vendor_name}, opened {opened_date} {opened} ({tz}) via {channel}.\n"
               "- First response due: {due_date} {due} ({tz}).\n- Internal update due: {upd} ({tz}).\n"
               "- No vendor reply by {due} means escalation to the {contact}.",
        "escalation": "File a {case_sev} case with {vendor_name} ({channel}) and put the business impact in the "
                      "first line. If it stalls, go to the {contact}; internally, on-call lead then engineering "
                      "manager.",
        "communication": "War room: channel #inc-{service} with the incident commander, the {service} on-call "
                         "engineer and the support lead. Internal updates every 30 minutes; customer updates every "
                         "hour through the status page and account managers.",
        "questions": "- Did a deploy or config change come right before the first errors?\n- Is the impact limited "
                     "to {region}?\n- Has {vendor_name} acknowledged a platform incident?",
        "review": "- Post-incident review within 5 business days of recovery; the incident commander owns it.",
        "generic": "For {service} ({region}): {scope}. The incident commander owns this part; the next checkpoint "
                   "is in 30 minutes and every decision goes into the incident log with its reason.",
        "generic2": "Owners: the incident commander decides, the {service} on-call engineer executes, the support "
                    "lead speaks to customers. Each owner confirms in the channel within 15 minutes.",
        "generic3": "What is known so far for {service}: {symptom}. What is not known yet: the trigger, and whether "
                    "{vendor_name} sees the same. Both are tracked until answered.",
        "intro": "Incident summary for {service}: {symptom}.",
    },
    "ru": {
        "severity": "{level}: {symptom}. Масштаб: {scope}. Уровень выбран по рубрике: затронут основной "
                    "сценарий в продакшене с указанным охватом.",
        "status": "Проверили {status_host} ({status_name}) в {checked}: по {service} в {region} ничего не "
                  "опубликовано, поэтому сбой на стороне провайдера пока не подтверждён и не исключён.",
        "evidence": "Собираем параллельно со смягчением, не откладывая:\n- частота ошибок и задержки {service} "
                    "за последние два часа (дашборд мониторинга)\n- логи приложения по упавшим запросам с "
                    "request id\n- выкладки и изменения конфигурации со вчерашнего дня (журнал аудита)\n- одна "
                    "упавшая и одна успешная трасса",
        "sla": "- Обращение: {case_sev} в {vendor_name}, открыто {opened_date} {opened} ({tz}), канал: {channel}.\n"
               "- Первый ответ ожидается до {due_date} {due} ({tz}).\n- Внутреннее обновление: {upd} ({tz}).\n"
               "- Нет ответа от вендора к {due} — эскалация: {contact}.",
        "escalation": "Заводим обращение {case_sev} в {vendor_name} ({channel}), в первой строке — влияние на "
                      "бизнес. Если обращение стоит — {contact}; внутри компании — дежурный лид, затем "
                      "руководитель разработки.",
        "communication": "Штаб: канал #inc-{service}, в нём руководитель инцидента, дежурный инженер {service} и "
                         "лид поддержки. Внутренние обновления каждые 30 минут, клиентам — раз в час через "
                         "страницу статуса и аккаунт-менеджеров.",
        "questions": "- Была ли выкладка или смена конфигурации перед первыми ошибками?\n- Ограничено ли влияние "
                     "регионом {region}?\n- Подтвердил ли {vendor_name} инцидент платформы?",
        "review": "- Разбор инцидента — в течение 5 рабочих дней после восстановления, ведёт руководитель инцидента.",
        "generic": "По {service} ({region}): {scope}. Ответственный — руководитель инцидента; следующая "
                   "контрольная точка через 30 минут, каждое решение с причиной пишем в журнал инцидента.",
        "generic2": "Ответственные: решения принимает руководитель инцидента, выполняет дежурный инженер "
                    "{service}, с клиентами говорит лид поддержки. Каждый подтверждает роль в канале за 15 минут.",
        "generic3": "Что известно по {service}: {symptom}. Что пока неизвестно: причина и видит ли то же самое "
                    "{vendor_name}. Оба вопроса ведём до ответа.",
        "intro": "Сводка по инциденту {service}: {symptom}.",
    },
    "zh": {
        "severity": "{level}：{symptom}。影响范围：{scope}。按分级规则判定：生产环境核心链路受影响，影响面如上所述。",
        "status": "已于{checked}检查{status_host}（{status_name}）：{region}的{service}暂无公开事件，"
                  "因此既不能确认也不能排除云厂商侧故障。",
        "evidence": "与止损并行收集，不要等定位根因后再收集：\n- {service}最近两小时的错误率与延迟（监控大盘）\n"
                    "- 失败请求的应用日志，附带请求ID\n- 昨天以来的发布与配置变更（操作审计）\n- 一条失败请求与一条正常请求的链路追踪",
        "sla": "- 工单：向{vendor_name}提交{case_sev}级别工单，{opened_date} {opened}（{tz}）已创建，渠道：{channel}。\n"
               "- 首次响应截止：{due_date} {due}（{tz}）。\n- 内部更新：{upd}（{tz}）。\n"
               "- 若{due}仍无厂商回复，升级至{contact}。",
        "escalation": "向{vendor_name}提交{case_sev}级别工单（{channel}），第一行写明业务影响。工单停滞时联系"
                      "{contact}；内部依次升级至值班负责人和研发经理。",
        "communication": "作战室：频道 #inc-{service}，成员包括事件指挥官、{service}值班工程师和客服负责人。"
                         "内部每30分钟更新一次，对客户每小时通过状态页和客户经理更新一次。",
        "questions": "- 首次报错前是否有发布或配置变更？\n- 影响是否仅限于{region}？\n- {vendor_name}是否已确认平台故障？",
        "review": "- 复盘：恢复后 5 个工作日内召开，由事件指挥官负责。",
        "generic": "{service}（{region}）：{scope}。该部分由事件指挥官负责；30分钟后进行下一次检查，每项决定及原因都记录在事件日志中。",
        "generic2": "负责人：事件指挥官负责决策，{service}值班工程师负责执行，客服负责人负责与客户沟通。每位负责人在15分钟内于频道中确认。",
        "generic3": "{service}目前已知：{symptom}。尚未确认：触发原因，以及{vendor_name}是否观察到同样的问题。两项均持续跟进直至有结论。",
        "intro": "{service}事件摘要：{symptom}。",
    },
}

ROLE_WORDS = [
    ("severity", ("sever", "classif", "level", "priority", "tier", "urgency")),
    ("status", ("status",)),
    ("evidence", ("evidence", "diagnos", "reproduc", "checklist")),
    ("sla", ("sla", "deadline", "track", "timeline", "clock")),
    ("escalation", ("escalat", "vendor", "case", "path", "contact", "handoff", "route")),
    ("communication", ("comm", "war", "notif", "update", "stakeholder", "customer", "message")),
    ("questions", ("question", "open", "unknown", "missing")),
]


def role_of(item: ContractItem) -> str:
    key = f"{item.id} {item.title}".lower()
    for role, words in ROLE_WORDS:
        if any(w in key for w in words):
            return role
    return "generic"


def assign_roles(items: list[ContractItem]) -> dict[str, str]:
    """One role per item; the first severity / sla / escalation / status item keeps the role, others go generic."""
    out, taken = {}, set()
    for it in items:
        role = role_of(it)
        if role == "escalation" and "sla" not in taken and not any(role_of(x) == "sla" for x in items):
            role = "sla"
        if role in taken:  # one body per role, so no two sections repeat each other
            role = next((g for g in ("generic", "generic2", "generic3") if g not in taken), "generic3")
        taken.add(role)
        out[it.id] = role
    return out


def heading(item: ContractItem, lang: str) -> str:
    words = item.headings.get(lang) or item.headings.get("en") or [item.title]
    h = words[0]
    return h[:1].upper() + h[1:]


def styled(style: int, n: int, h: str, lang: str) -> str:
    zh_num = "一二三四五六七八九十"
    return [f"## {h}", f"**{h}**", f"{n}. **{h}**", f"### {n}. {h}", f"{h}\n{'-' * max(4, len(h))}",
            f"## {zh_num[(n - 1) % 10]}、{h}" if lang == "zh" else f"## {n}) {h}"][style % 6]


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def tool_results(inc: tuple, lang: str) -> dict:
    service, region, vendor, level, tz, opened = inc[:6]
    v = VENDORS[vendor]
    z = ZoneInfo(tz)
    t0 = datetime.strptime(opened, "%Y-%m-%d %H:%M").replace(tzinfo=z)
    due = t0 + timedelta(minutes=TARGET_MIN[level])
    name, code = v["sev"][level]
    return {
        "detect_language": {"language": lang, "answer_language": lang, "confidence": 0.97, "mixed": False,
                            "evidence": {"script_shares": {}, "prose_letters": 80, "deciding_words": [], "note": ""}},
        "classify_severity": {"severity": level, "confidence": 0.8, "decided_by": "recorded-fixture",
                              "rationale": "recorded fixture", "signals": [], "scope": inc[9],
                              "questions": [], "vendor_case_severity": {vendor: name}, "alternative": None},
        "pick_vendor_support_path": {
            "vendor": vendor, "vendor_name": v["vendor_name"], "plan": v["plan"], "plan_name": v["plan_name"],
            "severity": level, "available": True,
            "case_severity": {"name": name, "api_code": code, "response_minutes": TARGET_MIN[level],
                              "clock": "24x7", "unverified": False, "sources": []},
            "status_pages": [{"name": v["status"][0], "url": v["status"][1], "unverified": False}],
            "escalation": [{"role": v["contact"], "when": "case stalls", "unverified": True}]},
        "compute_sla_deadlines": {
            "severity": level, "opened_at": iso(t0), "timezone": tz, "target_minutes": TARGET_MIN[level],
            "clock": "24x7", "target_source": "vendor", "first_response_due": iso(due),
            "updates": [{"kind": "internal_update", "at": iso(t0 + timedelta(minutes=30)), "label": "internal"}],
            "escalation_triggers": [{"kind": "breach", "at": iso(due), "label": "first response breached"}]},
    }


def facts(inc: tuple, lang: str, results: dict, level: str | None = None) -> dict:
    service, region, vendor, lvl, tz = inc[:5]
    v = VENDORS[vendor]
    sla = results["compute_sla_deadlines"]
    t0, due = datetime.fromisoformat(sla["opened_at"]), datetime.fromisoformat(sla["first_response_due"])
    upd = datetime.fromisoformat(sla["updates"][0]["at"])
    idx = LANGS.index(lang)
    return {"service": service, "region": region, "level": level or lvl, "symptom": inc[6 + idx],
            "scope": inc[9 + idx], "vendor_name": v["vendor_name"], "case_sev": v["sev"][lvl][0],
            "status_host": v["status"][1].split("/")[2], "status_name": v["status"][0],
            "checked": (t0 + timedelta(minutes=5)).strftime("%H:%M"), "channel": v["channel"],
            "contact": v["contact"], "opened_date": t0.strftime("%Y-%m-%d"), "opened": t0.strftime("%H:%M"),
            "due_date": due.strftime("%Y-%m-%d"), "due": due.strftime("%H:%M"), "upd": upd.strftime("%H:%M"),
            "tz": TZ_LABEL.get((lang, tz), tz)}


def render(skill: str, lang: str, f: dict, style: int, drop: str | None = None, empty: str | None = None) -> str:
    contract = load_contract(skill)
    roles = assign_roles(contract.items)
    parts = [BODIES[lang]["intro"].format(**f), ""]
    if "severity" not in roles.values():
        parts[0] = f["level"] + " — " + parts[0]
    for n, it in enumerate(contract.items, 1):
        if it.id == drop:
            continue
        parts.append(styled(style, n, heading(it, lang), lang))
        body = BODIES[lang][roles[it.id]]
        if roles[it.id] == "questions" and "review" in it.title.lower():  # "Open questions and post-incident review"
            body += "\n" + BODIES[lang]["review"]
        parts.append("" if it.id == empty else body.format(**f))
        parts.append("")
    return "\n".join(parts).strip() + "\n"


def transcript(case_id: str, skill: str, lang: str, prompt: str, results: dict, answer: str,
               uses_sla: bool, state_early: str | None = None) -> str:
    """JSONL events: turn 0 language + severity tools, turn 1 vendor (+ SLA) tools, turn 2 the answer."""
    inc_in = {"text": prompt}
    sev, sla = results["classify_severity"], results["compute_sla_deadlines"]
    vend = results["pick_vendor_support_path"]
    turns = [
        ([("detect_language", inc_in), ("classify_severity", inc_in)],
         "I will check the language and the severity first." if not state_early else
         f"This is clearly {state_early}. Let me confirm with the tools."),
        ([("pick_vendor_support_path", {"vendor": vend["vendor"], "severity": sev["severity"]})]
         + ([("compute_sla_deadlines", {"severity": sev["severity"], "opened_at": sla["opened_at"],
                                        "vendor": vend["vendor"], "plan": vend["plan"], "timezone": sla["timezone"]})]
            if uses_sla else []), "Now the vendor path" + (" and the SLA clock." if uses_sla else ".")),
    ]
    ev = [{"event": "meta", "case_id": case_id, "skill": skill, "model": "recorded-synthetic", "trial": 0,
           "language": lang, "source": "generated by evals/tools/make_core_suite.py (synthetic, not a model)"}]
    ev.append({"event": "request", "turn": 0, "messages": [{"role": "user", "content": prompt}]})
    n = 0
    for turn, (calls, text) in enumerate(turns):
        blocks = [{"type": "text", "text": text}]
        for name, args in calls:
            n += 1
            blocks.append({"type": "tool_use", "id": f"toolu_{n:02d}", "name": name, "input": args})
        ev.append({"event": "response", "turn": turn, "id": f"msg_{case_id}_{turn}", "stop_reason": "tool_use",
                   "content": blocks, "usage": {"input_tokens": 2400 + 600 * turn, "output_tokens": 90},
                   "ms": 900.0})
        results_blocks = []
        for b in blocks[1:]:
            ev.append({"event": "tool_call", "turn": turn, "id": b["id"], "name": b["name"], "input": b["input"],
                       "result": results[b["name"]], "is_error": False, "ms": 2.0})
            results_blocks.append({"type": "tool_result", "tool_use_id": b["id"],
                                   "content": json.dumps(results[b["name"]], ensure_ascii=False)})
        ev.append({"event": "request", "turn": turn + 1, "messages": [{"role": "user", "content": results_blocks}]})
    ev.append({"event": "response", "turn": 2, "id": f"msg_{case_id}_2", "stop_reason": "end_turn",
               "content": [{"type": "text", "text": answer}],
               "usage": {"input_tokens": 4200, "output_tokens": len(answer) // 3}, "ms": 6000.0})
    ev.append({"event": "answer", "text": answer})
    ev.append({"event": "end", "ms": 7810.0})
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in ev)


FLAWS = ("missing_section", "empty_heading", "wrong_language", "severity_contradiction", "wrong_deadline",
         "stated_before_tool")


def flaw_target(skill: str) -> str:
    """An item whose removal touches no grounded fact: communication, questions, evidence or generic."""
    roles = assign_roles(load_contract(skill).items)
    for want in ("communication", "questions", "evidence", "generic", "generic2", "generic3"):
        for item_id, role in roles.items():
            if role == want:
                return item_id
    return load_contract(skill).items[-1].id


def other_level(level: str) -> str:
    return {"P0": "P2", "P1": "P3", "P2": "P0", "P3": "P1"}[level]


def build() -> None:
    skills = list_contract_skills()
    cases, tdir = [], SUITE / "transcripts"
    tdir.mkdir(parents=True, exist_ok=True)
    for old in tdir.glob("*.jsonl"):
        old.unlink()
    for si, skill in enumerate(skills):
        roles = assign_roles(load_contract(skill).items)
        uses_sla = "sla" in roles.values()
        for k, inc in enumerate(INCIDENTS):
            lang = LANGS[(k + si) % 3]
            cid = f"{skill}-{k + 1:02d}-{lang}"
            results = tool_results(inc, lang)
            li = LANGS.index(lang)
            prompt = f"{inc[6 + li]}; {inc[9 + li]} ({inc[0]}, {inc[1]})"
            f = facts(inc, lang, results)
            style = k + si
            good = render(skill, lang, f, style)
            recs = [{"file": f"transcripts/{cid}.good.jsonl", "expect": "pass"}]
            (tdir / f"{cid}.good.jsonl").write_text(transcript(cid, skill, lang, prompt, results, good, uses_sla),
                                                    encoding="utf-8")
            flaw = FLAWS[(k + si) % len(FLAWS)]
            if flaw == "wrong_deadline" and not uses_sla:
                flaw = "empty_heading"
            target = flaw_target(skill)
            early = None
            # with its section gone, the answer names no status page either: that check fails too
            extra = ["check:status_page"] if roles[target] == "status" else []
            if flaw == "missing_section":
                bad, fails = render(skill, lang, f, style, drop=target), [f"item:{target}", *extra]
            elif flaw == "empty_heading":
                bad, fails = render(skill, lang, f, style, empty=target), [f"item:{target}", *extra]
            elif flaw == "wrong_language":
                other = "ru" if lang != "ru" else "en"
                bad, fails = render(skill, other, facts(inc, other, results), style), ["check:language"]
            elif flaw == "severity_contradiction":
                wrong = other_level(inc[3])
                bad = render(skill, lang, facts(inc, lang, results, level=wrong), style)
                # the answer never states the tool's level, so "classify before stating it" fails too
                fails = ["check:called:classify_severity", "check:expected_severity", "check:severity"]
            elif flaw == "wrong_deadline":
                due = datetime.strptime(f["due"], "%H:%M")
                f_bad = dict(f, due=(due + timedelta(minutes=37)).strftime("%H:%M"))
                bad, fails = render(skill, lang, f_bad, style), ["check:deadline"]
            else:
                bad, early = good, inc[3]
                fails = ["check:called:classify_severity"]
            (tdir / f"{cid}.{flaw}.jsonl").write_text(
                transcript(cid, skill, lang, prompt, results, bad, uses_sla, state_early=early), encoding="utf-8")
            recs.append({"file": f"transcripts/{cid}.{flaw}.jsonl", "expect": "fail", "failures": sorted(fails)})
            levels = ACCEPTABLE.get(inc[0], [inc[3]])
            alt = "|".join(lv.lower() for lv in levels)
            stated = inc[3] if len(levels) == 1 else f"re:(?<![a-z0-9])({alt})(?![0-9])"
            assertions = [{"tool": "classify_severity", "before_stating": stated},
                          {"order": ["detect_language", "classify_severity"]}]
            if uses_sla:
                sev_arg = inc[3] if len(levels) == 1 else f"re:^({'|'.join(levels)})$"
                assertions.append({"tool": "compute_sla_deadlines", "args": {"severity": sev_arg}})
            cases.append({"id": cid, "skill": skill, "language": lang, "incident": prompt, "vendor": inc[2],
                          "opened_at": results["compute_sla_deadlines"]["opened_at"], "timezone": inc[4],
                          "expected_severity": ACCEPTABLE.get(inc[0], [inc[3]]), "assertions": assertions,
                          "recordings": recs,
                          "tags": [flaw]})
    header = ("# Generated by evals/tools/make_core_suite.py from the skills' contracts; edit the script, not this "
              "file.\n")
    (SUITE / "cases.yaml").write_text(header + yaml.safe_dump({"cases": cases}, allow_unicode=True, sort_keys=False,
                                                              width=110), encoding="utf-8")
    print(f"{len(cases)} cases, {2 * len(cases)} recordings for {len(skills)} skill(s): {', '.join(skills)}")


if __name__ == "__main__":
    build()
