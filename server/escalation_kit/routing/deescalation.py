"""recommend_deescalation: whether an escalation can come down now, by which rule, and what is still unknown.

Seed 002 asks for de-escalation recommendations ("resolved, customer confirmed, stable for 48 hours"); seed 004
says when to de-escalate (a fix, a workaround that unblocks the customer, a support-resolvable root cause, new
information) and what to do then. Rules, monitoring periods and steps are data in
``references/policy/deescalation.yaml``; this module derives the conditions the rules name, and lists the
criteria nobody has stated yet, so an unknown is asked about rather than guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, Field

from escalation_kit.datafiles import load_yaml
from escalation_kit.errors import DataError, InputError, quote
from escalation_kit.lean import new_list
from escalation_kit.paths import references_dir
from escalation_kit.vocab import LANGS, SEVERITIES

FILE = "policy/deescalation.yaml"
Action = Literal["de-escalate", "lower-severity", "hold"]
ALIASES = {"customer_confirmation": "customer_confirmed"}  # seed 002's spelling
TEXTS = {"root_cause": "root_cause_found", "fix": "fix_applied"}  # a stated cause or fix implies the criterion
MAX_TEXT = 300


class Step(BaseModel):
    id: str
    text: str
    source: str


class Monitoring(BaseModel):
    required_minutes: int = Field(description="Stable minutes the policy asks for at this severity")
    stable_minutes: int | None = Field(default=None, description="Stable minutes so far, when known")
    complete: bool | None = Field(default=None, description="None while the stable time is unknown")


class DeescalationResult(BaseModel):
    action: Action
    decided_by: str = Field(description="The policy rule that decided, as policy:deescalation.yaml#<id>")
    rationale: str
    severity: str
    new_severity: str | None = Field(default=None, description="Set when the action is lower-severity")
    criteria: dict[str, bool | None] = Field(description="Each criterion as stated (None: not known yet)")
    missing: list[str] = Field(default_factory=new_list, description="Unknown criteria that could change the answer")
    monitoring: Monitoring
    steps: list[Step] = Field(default_factory=new_list, description="What to do now (empty while holding)")


@cache
def load_policy() -> dict[str, Any]:
    """The de-escalation policy, checked: every rule names known conditions and a known action."""
    path = references_dir() / FILE
    data = load_yaml(path)
    for key in ("monitoring_minutes", "criteria", "rules", "steps"):
        if key not in data:
            raise DataError(f"{path}: section {key!r} is missing")
    for rule in data["rules"]:
        unknown = set(rule["when"]) - set(CONDITIONS)
        if unknown or rule["action"] not in ("de-escalate", "lower-severity", "hold"):
            raise DataError(f"{path}: rule {rule['id']!r} names unknown conditions or action: {sorted(unknown)}")
    return data


def _criteria(given: dict[str, Any], known: dict[str, str]) -> dict[str, bool | None]:
    """The stated criteria as True/False/None, with seed 002's spellings and text fields accepted."""
    if not isinstance(given, dict):
        raise InputError("resolution", f"expected an object, got {type(given).__name__}")
    out: dict[str, bool | None] = dict.fromkeys(known)
    allowed = [*known, *ALIASES, *TEXTS, "monitoring_period_complete"]
    for key, value in given.items():
        if key in TEXTS:
            if value is not None and (not isinstance(value, str) or len(value) > MAX_TEXT):
                raise InputError(f"resolution.{key}", f"expected a short text (at most {MAX_TEXT} characters)")
            if value and value.strip():
                out[TEXTS[key]] = True
            continue
        name = ALIASES.get(key, key)
        if name not in known and name != "monitoring_period_complete":
            raise InputError("resolution", f"unknown field {quote(key)}", allowed=allowed)
        if value is not None and not isinstance(value, bool):
            raise InputError(f"resolution.{key}", f"expected true, false or null, got {quote(value)}")
        out[name] = value
    return out


def _rank(severity: str, field: str) -> int:
    if severity not in SEVERITIES:
        raise InputError(field, f"expected one of {', '.join(SEVERITIES)}, got {quote(severity)}", allowed=SEVERITIES)
    return SEVERITIES.index(severity)


def _either(a: bool | None, b: bool | None) -> bool | None:
    """Three-valued or: true if either is, unknown if neither is and one is unknown."""
    return True if a or b else (None if a is None or b is None else False)


# The conditions rules may name, each true, false or unknown (None) from the stated criteria.
CONDITIONS: dict[str, Callable[[dict[str, Any]], bool | None]] = {
    "recurred": lambda c: c["recurrence"],
    "reassessed_lower": lambda c: c["reassessed_lower"],
    "fixed_or_self": lambda c: _either(c["fix_applied"], c["resolved_itself"]),
    "customer_confirmed": lambda c: c["customer_confirmed"],
    "monitoring_complete": lambda c: c["monitoring_complete"],
    "workaround_available": lambda c: c["workaround_available"],
    "root_cause_found": lambda c: c["root_cause_found"],
    "support_resolvable": lambda c: c["support_resolvable"],
}
ASKS = {"fixed_or_self": ["fix_applied"], "monitoring_complete": ["stable_minutes"]}


def recommend_deescalation(
    severity: str,
    resolution: dict[str, Any] | None = None,
    stable_minutes: int | None = None,
    reassessed_severity: str | None = None,
    language: str = "en",
) -> DeescalationResult:
    """The recommendation for an escalation at ``severity``, from the resolution criteria stated so far."""
    rank = _rank(severity, "severity")
    if language not in LANGS:
        raise InputError("language", f"expected one of {', '.join(LANGS)}, got {quote(language)}", allowed=LANGS)
    if stable_minutes is not None and (isinstance(stable_minutes, bool) or not isinstance(stable_minutes, int)
                                       or stable_minutes < 0):
        raise InputError("stable_minutes", f"expected a whole number of minutes >= 0, got {quote(stable_minutes)}")
    policy = load_policy()
    criteria = _criteria(resolution or {}, policy["criteria"])
    required = int(policy["monitoring_minutes"][severity])
    complete = criteria.pop("monitoring_period_complete", None)
    if complete is None and stable_minutes is not None:
        complete = stable_minutes >= required
    lower = None if reassessed_severity is None else _rank(reassessed_severity, "reassessed_severity") > rank
    state = {**criteria, "monitoring_complete": complete, "reassessed_lower": lower}
    values = {name: check(state) for name, check in CONDITIONS.items()}
    rule = next(r for r in policy["rules"] if all(values[c] is True for c in r["when"]))
    action: Action = rule["action"]
    return DeescalationResult(
        action=action,
        decided_by=f"policy:deescalation.yaml#{rule['id']}",
        rationale=rule["says"][language],
        severity=severity,
        new_severity=reassessed_severity if action == "lower-severity" else None,
        criteria={**criteria, "monitoring_complete": complete},
        missing=[] if action != "hold" else _missing(policy["rules"], values),
        monitoring=Monitoring(required_minutes=required, stable_minutes=stable_minutes, complete=complete),
        steps=[] if action == "hold" else [Step(id=s["id"], text=s[language], source=s["source"])
                                           for s in policy["steps"]],
    )


def _missing(rules: list[dict[str, Any]], values: dict[str, bool | None]) -> list[str]:
    """Unknown inputs of the de-escalating rules that nothing rules out yet, in rule order, once each."""
    out: list[str] = []
    for rule in rules:
        if rule["action"] != "de-escalate" or any(values[c] is False for c in rule["when"]):
            continue
        for cond in rule["when"]:
            if values[cond] is None:
                out += [a for a in ASKS.get(cond, [cond]) if a not in out]
    return out
