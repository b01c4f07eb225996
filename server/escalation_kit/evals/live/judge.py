"""Optional model judge, one call per contract item (never one holistic verdict).

The judge must answer through a forced ``record_verdict`` tool call with a fixed schema
``{verdict: pass|fail, evidence, reason}`` at temperature 0. A pass counts only when the quoted
evidence occurs in the answer (after normalisation); a missing or malformed verdict, or a
quote the answer does not contain, is ``unscored``, which never counts as a pass.
"""

from __future__ import annotations

import asyncio
from typing import Any

from escalation_kit.evals.grader import CheckResult
from escalation_kit.evals.live.batches import batch_params, submit_and_collect
from escalation_kit.evals.live.conversation import HarnessError, create_with_retry
from escalation_kit.evals.markdown import normalize
from escalation_kit.skillpack.contracts import ContractItem, load_contract

VERDICT_TOOL = {
    "name": "record_verdict",
    "description": "Record whether the answer satisfies the one requirement, quoting the answer verbatim.",
    "input_schema": {
        "type": "object",
        "properties": {
            "verdict": {"type": "string", "enum": ["pass", "fail"]},
            "evidence": {"type": "string", "description": "A verbatim quote from the answer that decides it"},
            "reason": {"type": "string"},
        },
        "required": ["verdict", "evidence"],
    },
}

SYSTEM = ("You check one requirement of an incident-response answer. Judge only that requirement. Quote the answer "
          "verbatim as evidence; if the requirement is not met, say so. Reply only through record_verdict.")


def judge_context(incident: str, transcript: Any | None) -> str:
    """The incident and the tool results the answer was written from (the judge checks figures against them)."""
    import json

    results = []
    for call in getattr(transcript, "tool_calls", []) or []:
        if not call.is_error:
            results.append(f"{call.name}({json.dumps(call.input, ensure_ascii=False)[:300]}) -> "
                           f"{json.dumps(call.result, ensure_ascii=False)[:1500]}")
    tools = "\n".join(results) or "(no tool results)"
    return f"<incident>\n{incident}\n</incident>\n<tool_results>\n{tools}\n</tool_results>\n"


def judge_params(model: str, answer: str, item: ContractItem, context: str = "") -> dict[str, Any]:
    """One judge request: the contract item, the incident and tool results, and the answer."""
    prompt = (f"Requirement: {item.title}. Satisfied when: {item.satisfies}\n"
              f"Placeholder text, filler, a heading repeated as its body, or figures that contradict the tool "
              f"results do not satisfy it. The answer may be in English, Russian or Chinese.\n\n"
              f"{context}<answer>\n{answer}\n</answer>")
    return {"model": model, "max_tokens": 400, "temperature": 0, "system": SYSTEM,
            "messages": [{"role": "user", "content": prompt}], "tools": [VERDICT_TOOL],
            "tool_choice": {"type": "tool", "name": "record_verdict"}}


def parse_verdict(message: dict[str, Any], answer: str, item_id: str) -> CheckResult:
    """Turn a judge reply into a check; anything unexpected is unscored."""
    cid = f"judge:{item_id}"
    use = next((b for b in message.get("content", []) if b.get("type") == "tool_use"
                and b.get("name") == "record_verdict"), None)
    data = use.get("input") if use else None
    if not isinstance(data, dict) or data.get("verdict") not in ("pass", "fail") \
            or not isinstance(data.get("evidence", ""), str):
        return CheckResult(id=cid, kind="judge", status="unscored", detail="grade_parse_failure: no valid verdict")
    quote = data.get("evidence", "").strip()
    if data["verdict"] == "fail":
        return CheckResult(id=cid, kind="judge", status="fail", evidence=quote, detail=str(data.get("reason", "")))
    if not quote or normalize(quote) not in normalize(answer):
        return CheckResult(id=cid, kind="judge", status="unscored", evidence=quote,
                           detail="judge said pass but its quote is not in the answer")
    return CheckResult(id=cid, kind="judge", status="pass", evidence=quote, detail=str(data.get("reason", "")))


async def judge_answer(client: Any, opts: Any, answer: str, skill: str, context: str = "",
                       cache: Any = None) -> tuple[list[CheckResult], list[dict]]:
    """Judge every contract item of one answer with the judge model; cached replays add no usage (cost 0)."""
    checks, usages = [], []
    for item in load_contract(skill).items:
        params = judge_params(opts.judge_model, answer, item, context)
        key = cache.key(params, -1, opts.base_url) if cache is not None else None
        msg = cache.get(key) if key else None
        if msg is None:
            try:
                msg, _ = await create_with_retry(client, params, opts)
            except HarnessError as exc:
                checks.append(CheckResult(id=f"judge:{item.id}", kind="judge", status="unscored", detail=str(exc)))
                continue
            usages.append(msg.get("usage") or {})
            if key:
                cache.put(key, msg)
        checks.append(parse_verdict(msg, answer, item.id))
    return checks, usages


def _apply(trial: Any, checks: list[CheckResult], usages: list[dict], opts: Any) -> None:
    """Add judge checks and their token use to a trial, and recompute its pass/fail.

    An uncalibrated judge (``calibration.gate``) is reported but does not decide: its checks are
    kept with their verdict in the detail and status ``skipped``.
    """
    from escalation_kit.evals.judge_gate import gate
    from escalation_kit.evals.pricing import cost_usd
    from escalation_kit.evals.transcript import Usage

    gated, why = gate(opts.judge_model)
    if not gated:
        checks = [c.model_copy(update={"status": "skipped", "detail": f"[{c.status}, not gating: {why}] {c.detail}"})
                  for c in checks]
    trial.grade.add_checks(checks)
    extra = Usage()
    for u in usages:
        extra.add(u)
    trial.usage.add(extra)
    judge_cost = cost_usd(opts.judge_model, extra, batch=opts.batch)
    if trial.cost_usd is not None and judge_cost is not None:
        trial.cost_usd += judge_cost
    trial.failures = trial.grade.failures()
    trial.passed = trial.grade.passed


async def _judge_batched(jobs: list[tuple[Any, Any]], client: Any, opts: Any) -> None:
    """Every item of every answer in one Message Batch (judge calls are single-turn: batch-friendly)."""
    requests, index = [], {}
    for n, (conv, trial) in enumerate(jobs):
        for item in load_contract(conv.case.skill).items:
            cid = f"j{n}__{item.id}"
            index[cid] = (trial, item.id, conv.transcript.answer)
            requests.append({"custom_id": cid, "params": batch_params(
                judge_params(opts.judge_model, conv.transcript.answer, item,
                             judge_context(conv.case.prompt(), conv.transcript)))})
    if not requests:
        return
    found: dict[str, tuple[CheckResult, dict]] = {}
    async for res in submit_and_collect(client, requests, opts.batch_poll_s):
        trial, item_id, answer = index[res.custom_id]
        if res.result.type == "succeeded":
            msg = res.result.message.model_dump(mode="json", exclude_none=True)
            found[res.custom_id] = (parse_verdict(msg, answer, item_id), msg.get("usage") or {})
        else:
            found[res.custom_id] = (CheckResult(id=f"judge:{item_id}", kind="judge", status="unscored",
                                                detail=f"batch request {res.result.type}"), {})
    per_trial: dict[int, tuple[Any, list[CheckResult], list[dict]]] = {}
    for cid, (trial, item_id, _) in index.items():
        check, usage = found.get(cid) or (CheckResult(id=f"judge:{item_id}", kind="judge", status="unscored",
                                                      detail="batch returned no result"), {})
        entry = per_trial.setdefault(id(trial), (trial, [], []))
        entry[1].append(check)
        entry[2].append(usage)
    for trial, checks, usages in per_trial.values():
        _apply(trial, checks, usages, opts)


async def judge_report(report: Any, convs: list[Any], client: Any, opts: Any, cache: Any = None) -> None:
    """Add judge checks to every graded live trial (in one batch with ``--batch``) and recompute pass/fail."""
    trials = {(c.id, t.trial): t for c in report.cases for t in c.trials}
    jobs = [(conv, trials[(conv.case.id, conv.trial)]) for conv in convs]
    jobs = [(conv, trial) for conv, trial in jobs if trial.grade is not None]
    if opts.batch:
        await _judge_batched(jobs, client, opts)
        return
    sem = asyncio.Semaphore(opts.concurrency)

    async def one(conv: Any, trial: Any) -> None:
        async with sem:
            checks, usages = await judge_answer(client, opts, conv.transcript.answer, conv.case.skill,
                                                judge_context(conv.case.prompt(), conv.transcript), cache)
        _apply(trial, checks, usages, opts)

    await asyncio.gather(*(one(conv, trial) for conv, trial in jobs))
