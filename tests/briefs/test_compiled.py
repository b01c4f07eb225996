"""Templates run from their compiled code without Jinja2 give Jinja2's text, pick up edits, and fall back to Jinja2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
import pytest
import yaml

from escalation_kit import datafiles
from escalation_kit.briefs import compiled, render
from escalation_kit.paths import prompts_dir
from escalation_kit.vocab import DOC_KINDS, LANGS

FACTS = yaml.safe_load((Path(__file__).parent / "golden" / "facts.yaml").read_text(encoding="utf-8"))
CASES = [(size, kind, lang) for size in ("minimal", "full") for kind in FACTS[size] for lang in LANGS]


def _env(folder: Path) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), undefined=jinja2.StrictUndefined,
                              autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def _library(folder: Path, env: jinja2.Environment) -> compiled.Library:
    return compiled.Library(folder, lambda source, name, filename: env.compile(source, name, filename, raw=True), {})


def _prompts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **templates: str) -> Path:
    """A fresh cache folder and a prompts folder holding ``templates`` (name without ``.j2`` -> source)."""
    monkeypatch.setenv(datafiles.CACHE_ENV, str(tmp_path / "cache"))
    folder = tmp_path / "prompts"
    folder.mkdir()
    for name, source in templates.items():
        (folder / f"{name}.j2").write_text(source, encoding="utf-8")
    return folder


def _stamp_later(path: Path) -> None:
    """Move the file's modification time on, as a later edit would (a same-tick edit keeps its mtime)."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_every_kind_and_language_is_covered() -> None:
    assert {kind for _, kind, _ in CASES} == set(DOC_KINDS) - {"escalation_metrics"}


@pytest.mark.parametrize(("size", "kind", "lang"), CASES)
def test_compiled_code_renders_what_jinja2_renders(size: str, kind: str, lang: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Each shipped template, run from its compiled code, gives Jinja2's text and notes the same unknown facts."""
    rendered: dict[str, tuple[str, list[str]]] = {}
    fast = compiled.render

    def jinja2_only(library: Any, name: str, variables: Any) -> None:
        return None

    def compiled_only(library: Any, name: str, variables: Any) -> str:
        text = fast(library, name, variables)
        assert text is not None, f"{name} fell back to Jinja2"
        return text

    for how, stand_in in (("jinja2", jinja2_only), ("compiled", compiled_only)):
        monkeypatch.setattr(compiled, "render", stand_in)
        result = render.format_escalation_brief(FACTS[size][kind], kind, lang)
        rendered[how] = (result.markdown, result.unknown_fields)
    assert rendered["compiled"] == rendered["jinja2"]


def test_every_shipped_template_has_code_this_runtime_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(datafiles.CACHE_ENV, str(tmp_path))
    library = _library(prompts_dir(), _env(prompts_dir()))
    names = sorted(p.relative_to(prompts_dir()).as_posix() for p in prompts_dir().rglob("*.j2"))
    assert len(names) >= 30
    for name in names:
        assert library.load(name) is not None, name


def test_an_edited_template_is_picked_up_in_the_same_process_and_the_next(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(datafiles.CACHE_ENV, str(tmp_path / "cache"))
    folder = tmp_path / "prompts"
    folder.mkdir()
    template = folder / "t.j2"
    template.write_text("Hello {{ who }}", encoding="utf-8")
    library = _library(folder, _env(folder))
    assert compiled.render(library, "t.j2", lambda: {"who": "a"}) == "Hello a"
    template.write_text("Bye {{ who }}", encoding="utf-8")
    _stamp_later(template)
    assert compiled.render(library, "t.j2", lambda: {"who": "a"}) == "Bye a"  # this process
    assert compiled.render(_library(folder, _env(folder)), "t.j2", lambda: {"who": "a"}) == "Bye a"  # a new one
    assert len(list((tmp_path / "cache" / "derived").glob("template-code-*.bin"))) == 2  # one entry per content


def test_an_edited_import_is_picked_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _prompts(tmp_path, monkeypatch, common='{% set WORD = "one" %}')
    (folder / "t.j2").write_text('{% import "common.j2" as c %}{{ c.WORD }}', encoding="utf-8")
    library = _library(folder, _env(folder))
    assert compiled.render(library, "t.j2", dict) == "one"
    (folder / "common.j2").write_text('{% set WORD = "two" %}', encoding="utf-8")
    _stamp_later(folder / "common.j2")
    assert compiled.render(library, "t.j2", dict) == "two"


def test_an_edit_to_the_module_configuring_the_environment_compiles_again(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment's settings (trim_blocks...) decide the generated code: the module setting them is in the key."""
    folder = _prompts(tmp_path, monkeypatch, t="{% if who %}\n{{ who }}\n{% endif %}")
    settings = tmp_path / "settings.py"
    settings.write_text("trim_blocks = True", encoding="utf-8")

    def library(trim: bool) -> compiled.Library:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), trim_blocks=trim)
        return compiled.Library(folder, lambda src, name, filename: env.compile(src, name, filename, raw=True), {},
                                sources=(settings,))

    assert compiled.render(library(True), "t.j2", lambda: {"who": "a"}) == "a\n"
    settings.write_text("trim_blocks = False", encoding="utf-8")
    assert compiled.render(library(False), "t.j2", lambda: {"who": "a"}) == "\na\n"


def test_a_cached_entry_is_used_without_compiling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(datafiles.CACHE_ENV, str(tmp_path / "cache"))
    folder = tmp_path / "prompts"
    folder.mkdir()
    (folder / "t.j2").write_text("{% for x in xs %}{{ loop.index }}{{ ',' if not loop.last }}{% endfor %}",
                                 encoding="utf-8")
    assert compiled.render(_library(folder, _env(folder)), "t.j2", lambda: {"xs": "abc"}) == "1,2,3"

    def refuse(source: str, name: str, filename: str) -> str:
        raise AssertionError("compiled again")

    assert compiled.render(compiled.Library(folder, refuse, {}), "t.j2", lambda: {"xs": "ab"}) == "1,2"


@pytest.mark.parametrize("blocked", ["unwritable", "missing"])
def test_no_usable_cache_folder_still_renders(blocked: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "prompts"
    folder.mkdir()
    (folder / "t.j2").write_text("Hello {{ who }}", encoding="utf-8")
    (tmp_path / "file").write_text("", encoding="utf-8")
    # a file where the cache folder should be (nothing can be written or read there), or no folder yet
    cache = tmp_path / "file" / "cache" if blocked == "unwritable" else tmp_path / "not" / "yet"
    monkeypatch.setenv(datafiles.CACHE_ENV, str(cache))
    for _ in range(2):
        assert compiled.render(_library(folder, _env(folder)), "t.j2", lambda: {"who": "a"}) == "Hello a"


@pytest.mark.parametrize("source", [
    "{{ who.missing }}",  # strict undefined: Jinja2 raises, in its own words
    "{{ range(2) | list }}",  # a global and a filter this runtime does not supply
    "{% macro m(a, b=1) %}{{ a }}{{ b }}{% endmacro %}{{ m(1) }}",  # a default argument
    "{{ who | upper }}",
])
def test_what_the_runtime_lacks_is_left_to_jinja2(source: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _prompts(tmp_path, monkeypatch, t=source)
    assert compiled.render(_library(folder, _env(folder)), "t.j2", lambda: {"who": "a"}) is None


def test_a_render_stopped_part_way_notes_each_unknown_fact_once(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The facts noted before the compiled code stopped are noted again by Jinja2's render, not twice."""
    folder = _prompts(tmp_path, monkeypatch, t="{{ f.summary }} {{ range(2) | list }}")
    env = _env(folder)
    monkeypatch.setattr(render, "_library", lambda: _library(folder, env))
    monkeypatch.setattr(render, "_environment", lambda: env)
    seen: list[str] = []

    def variables() -> dict[str, Any]:
        seen.clear()
        return {"f": SimpleNamespace(summary=render._Missing("summary", "[?]", seen))}

    assert render._render("t.j2", variables) == "[?] [0, 1]"
    assert seen == ["summary"]


@pytest.mark.integration
def test_a_fresh_process_renders_a_brief_without_importing_jinja2(tmp_path: Path) -> None:
    """Once the cache holds a template's code (the first render stores it), rendering it needs no Jinja2."""
    code = ("import sys\nfrom escalation_kit.briefs import format_escalation_brief as f\n"
            "f({'summary': 's', 'severity': 'P1', 'description': 'd'}, language='en')\n"
            "print('jinja2' in sys.modules)")
    env = {**os.environ, datafiles.CACHE_ENV: str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
            for _ in range(2)]
    assert [run.stdout.strip() for run in runs] == ["True", "False"]
