"""The five pure tools as the MCP server publishes them: typed signatures, titles, annotations.

Each function forwards to ``escalation_kit.tools`` through ``call``, which turns the core's
InputError (or a pydantic validation error) into a ToolError the model can act on. ``build_tools``
turns them into SDK ``Tool`` objects with compact schemas, through the SDK's public ``Tool`` API.

Importing this module loads no capability core: the signatures' types (the cores' models) are
imported by ``load_types`` when a tool is first built or called, and each function reaches its core
through ``escalation_kit.tools`` at call time. So a server can list the tools from their cached
published form (``published``) without loading any core.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

import anyio
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.tools import Tool
from mcp.types import ToolAnnotations
from pydantic import Field, ValidationError

from escalation_kit.errors import InputError, from_validation_error
from escalation_kit.mcp.limits import cap_strings
from escalation_kit.mcp.published import Spec, cached_tool, compact_text
from escalation_kit.mcp.schema import compact_schema, inline_refs
from escalation_kit.vendors.ids import vendor_ids
from escalation_kit.vocab import DocKind, LanguageChoice, Severity

if TYPE_CHECKING:
    from escalation_kit.briefs.render import BriefResult
    from escalation_kit.language import LanguageResult
    from escalation_kit.mcp.answers import SeverityAnswer
    from escalation_kit.severity import ImpactFacts
    from escalation_kit.sla.models import SlaResultBrief, SlaTarget
    from escalation_kit.vendors.models import ScopeFact, ServiceState, VendorPathBrief

T = TypeVar("T")
Detail = Literal["summary", "full"]
# The vendor and SLA answers come in three sizes: compact (what a caller states and acts on), summary
# (the previous default: every source, playbook step and update time) and full (provenance per item).
PathDetail = Literal["compact", "summary", "full"]

# Flags are strict (true or false only): pydantic's lax mode reads 0, "no" or "off" as false, so a client's
# stray value would silently turn off redaction or mark production as staging.
PURE = ToolAnnotations(read_only_hint=True, idempotent_hint=True, destructive_hint=False, open_world_hint=False)
MAX_ERROR_CHARS = 2_000  # a safety net: core messages quote values in part, and allowed-value lists are short
INLINE_CHARS = 2_000  # calls with less text than this run on the event loop (well under a millisecond)
WORKERS = anyio.CapacityLimiter(4)  # bigger calls run in this bounded pool, so one client cannot stall the loop


def call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a core function, mapping bad input to a ToolError that names the field and the allowed values."""
    try:
        return fn(*args, **kwargs)
    except InputError as exc:
        raise ToolError(_short(str(exc))) from exc
    except ValidationError as exc:
        raise ToolError(_short(str(from_validation_error(exc)))) from exc


def _short(message: str) -> str:
    return message if len(message) <= MAX_ERROR_CHARS else message[: MAX_ERROR_CHARS - 1] + "…"


async def run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``call`` inline for small inputs, else in the bounded worker pool (CPU work off the event loop)."""
    if _text_size(args) + _text_size(kwargs) < INLINE_CHARS:
        return call(fn, *args, **kwargs)
    return await anyio.to_thread.run_sync(partial(call, fn, *args, **kwargs), limiter=WORKERS)


def _text_size(value: Any) -> int:
    """Characters of text in a call's arguments (strings, nested containers and models' fields)."""
    if value is None or value.__class__ in _NO_TEXT:  # most arguments: the checks below would each say 0
        return 0
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_text_size(k) + _text_size(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return sum(_text_size(v) for v in value)
    if hasattr(value, "__dict__"):
        return _text_size(vars(value))
    return 0


_NO_TEXT = frozenset({bool, int, float})

# The types each tool's signature names, by module: imported on its first build or call (``load_types``).
TYPES: dict[str, dict[str, tuple[str, ...]]] = {
    "detect_language": {"escalation_kit.language": ("LanguageResult",)},
    "classify_severity": {"escalation_kit.severity": ("ImpactFacts",),
                          "escalation_kit.mcp.answers": ("SeverityAnswer",)},
    "pick_vendor_support_path": {"escalation_kit.vendors.models": ("ScopeFact", "ServiceState", "VendorPathBrief")},
    "compute_sla_deadlines": {"escalation_kit.sla.models": ("SlaResultBrief", "SlaTarget"),
                              "escalation_kit.vendors.models": ("ScopeFact", "ServiceState")},
    "format_escalation_brief": {"escalation_kit.briefs.render": ("BriefResult",)},
}


def load_types(tool: str | None = None) -> None:
    """Import the models ``tool``'s signature names (every pure tool's when None) into this module, where
    the SDK resolves the signature; a tool without any (the tracker's) needs nothing."""
    for name, modules in TYPES.items():
        if tool is None or tool == name:
            for module, names in modules.items():
                loaded = importlib.import_module(module)
                globals().update({attr: getattr(loaded, attr) for attr in names})


def _tools() -> Any:
    """``escalation_kit.tools``, imported on the first call (it loads each core on that core's first use)."""
    from escalation_kit import tools

    return tools


VENDOR_DETAIL = "summary adds playbook steps and every source; full: source ids per item, notes, facts applied"
SLA_DETAIL = "summary adds every update time, trigger labels, internal target; full: each time's source"


async def detect_language(
    text: Annotated[str, Field(description="The reporter's message as written")],
) -> LanguageResult:
    """The reporter's language (ru, en, zh or unknown), ignoring logs, code, URLs and embedded English
    terms. Call it first; answer in answer_language."""
    return await run(_tools().detect_language, text)


async def classify_severity(
    text: Annotated[str | None, Field(description="Incident text (en, ru or zh)")] = None,
    facts: Annotated[ImpactFacts | None, Field(description="Impact facts; override the text")] = None,
    detail: Annotated[Detail, Field(description="full adds the matched signals")] = "summary",
) -> SeverityAnswer:
    """P0-P3 from text and/or impact facts (facts win): rule, rationale, each vendor's case severity,
    questions. Below 0.8 confidence the level is a proposal: ask the questions and confirm it."""
    result = await run(_tools().classify_severity, text, facts)
    return SeverityAnswer.of(result, full=detail == "full")


async def pick_vendor_support_path(
    vendor: Annotated[str, Field(description="VENDORS")],
    severity: Severity,
    plan: Annotated[str | None, Field(description="Plan id; default: the common paid plan")] = None,
    region: Annotated[str | None, Field(description="e.g. cn-hangzhou")] = None,
    production: Annotated[
        bool | None, Field(strict=True, description="false for staging/test (caps the case level)")
    ] = None,
    state: ServiceState | None = None,
    scope: ScopeFact | None = None,
    detail: Annotated[PathDetail, Field(description=VENDOR_DETAIL)] = "compact",
) -> VendorPathBrief:
    """For a cloud vendor and P0-P3: the case severity to file (the vendor's own definitions applied to
    production, state, scope), response time with its sources, how to open and escalate, status pages."""
    # copy=False: the SDK only serialises the answer, so the cached catalog parts need no deep copy (was ~60 %)
    path = await run(_tools().pick_vendor_support_path, vendor, severity, plan, region, production, state, scope,
                     copy=False)
    return path if detail == "full" else path.brief() if detail == "summary" else path.compact()


async def compute_sla_deadlines(
    severity: Severity,
    opened_at: Annotated[str, Field(description="ISO 8601 with offset")],
    vendor: Annotated[str | None, Field(description="Take the target from this vendor")] = None,
    plan: Annotated[str | None, Field(description="Vendor plan id")] = None,
    timezone: Annotated[str | None, Field(description="IANA zone, e.g. Asia/Shanghai")] = None,
    calendar: Annotated[
        str | None, Field(description="Holiday calendar: CN, RU, US... (default: the zone's country; none: Mon-Fri)")
    ] = None,
    now: Annotated[str | None, Field(description="ISO 8601; adds the SLA status")] = None,
    target: Annotated[SlaTarget | None, Field(description="Explicit target, e.g. an internal SLA")] = None,
    policy: Annotated[str | None, Field(description="workflow-tiers or technical-handoffs")] = None,
    tier: Annotated[int | str | None, Field(description="Policy step, e.g. 2")] = None,
    production: Annotated[bool | None, Field(strict=True)] = None,
    state: ServiceState | None = None,
    scope: ScopeFact | None = None,
    detail: Annotated[PathDetail, Field(description=SLA_DETAIL)] = "compact",
) -> SlaResultBrief:
    """First-response deadline, the next update of each kind with its cadence, and escalation triggers on a
    24x7 or business-hours clock with time zone and holidays; with now, the SLA status."""
    result = await run(
        _tools().compute_sla_deadlines, severity, opened_at, vendor=vendor, plan=plan, timezone=timezone,
        calendar=calendar, now=now, target=target, policy=policy, tier=tier, production=production, state=state,
        scope=scope,
    )
    return result if detail == "full" else result.brief() if detail == "summary" else result.compact(now)


async def format_escalation_brief(
    facts: Annotated[
        dict[str, Any],
        Field(
            description="escalation_brief needs summary, severity, description; takes target, "
            "customers_affected, sla_status, tried, needed, deadline... Other kinds have their own fields; "
            "errors name missing and unknown ones."
        ),
    ],
    kind: DocKind = "escalation_brief",
    language: Annotated[LanguageChoice, Field(description="auto = the facts' language")] = "auto",
    timezone: Annotated[
        str | None,
        Field(description="IANA zone for timestamps; default: the offset of the facts' first time, else UTC"),
    ] = None,
    redact: Annotated[bool, Field(strict=True, description="Mask secrets and personal data")] = True,
) -> BriefResult:
    """An escalation document as Markdown in en, ru or zh, secrets and personal data masked, with the
    redactions and the facts shown as 'unknown - ask'."""
    return await run(
        _tools().format_escalation_brief, facts, kind=kind, language=language, timezone=timezone, redact=redact
    )


TITLES: dict[Callable[..., Any], str] = {
    detect_language: "Detect reporter language",
    classify_severity: "Classify incident severity (P0-P3)",
    pick_vendor_support_path: "Pick cloud vendor support path",
    compute_sla_deadlines: "Compute SLA deadlines",
    format_escalation_brief: "Format escalation brief",
}


def _core(name: str, **fixed: Any) -> Callable[..., Any]:
    """The core function behind a tool, resolved at call time (``escalation_kit.tools`` imports it on first use)."""

    def core(*args: Any, **kwargs: Any) -> Any:
        return getattr(_tools(), name)(*args, **fixed, **kwargs)

    core.__name__ = core.__qualname__ = name
    return core


# The core function behind each tool, for benchmarks, the warm-up and tests that compare a tool with its core.
CORE_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "detect_language": _core("detect_language"),
    "classify_severity": _core("classify_severity"),
    "pick_vendor_support_path": _core("pick_vendor_support_path", copy=False),
    "compute_sla_deadlines": _core("compute_sla_deadlines"),
    "format_escalation_brief": _core("format_escalation_brief"),
}


def pure_specs() -> list[Spec]:
    """Each pure tool's function, title and annotations (``published.publish_all`` publishes them)."""
    return [(fn, title, PURE) for fn, title in TITLES.items()]


def build_tools() -> list[Tool]:
    """The five tools as SDK Tool objects, with one-line descriptions and compact schemas.

    Compaction drops titles, null defaults and folds nullable unions (see ``schema``), so validation
    is unchanged while tools/list costs the host far fewer tokens on every turn.
    """
    load_types()
    built = []
    for fn, title in TITLES.items():
        tool = publish(fn, title, PURE)
        publish_vendor_ids(tool)
        built.append(tool)
    return built


def publish(fn: Callable[..., Any], title: str, annotations: ToolAnnotations) -> Tool:
    """One SDK Tool from a function, through the public Tool API: one-line description, compact capped schemas.

    The published form is cached (``published``), so start-up derives no JSON Schema once it is.
    """
    return cached_tool(fn, title, annotations, partial(derive, fn, title, annotations))


def derive(fn: Callable[..., Any], title: str, annotations: ToolAnnotations) -> Tool:
    """The tool as ``Tool.from_function`` builds it, with the description and schemas compacted."""
    tool = Tool.from_function(fn, title=title, annotations=annotations)
    tool.description = " ".join(tool.description.split())
    tool.parameters = cap_strings(inline_refs(compact_schema(tool.parameters)))
    if tool.fn_metadata.output_schema is not None:
        tool.fn_metadata.output_schema = inline_refs(compact_schema(tool.fn_metadata.output_schema, output=True))
    tool.fn_metadata = compact_text(tool.fn_metadata)
    return tool


def publish_vendor_ids(tool: Tool) -> None:
    """Fill the vendor argument's description with the catalog's ids (a placeholder in the signature)."""
    vendor = tool.parameters.get("properties", {}).get("vendor")
    if vendor and vendor.get("description") == "VENDORS":
        vendor["description"] = ", ".join(vendor_ids())
