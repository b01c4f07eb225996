"""The compiled-template cache holds exactly what compiling the shipped templates gives, and never goes stale."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from escalation_kit import datafiles
from escalation_kit.briefs import render
from escalation_kit.paths import prompts_dir

TEMPLATES = sorted(str(p.relative_to(prompts_dir())) for p in prompts_dir().rglob("*.j2"))


def _env(folder: Path, cache: bool = True) -> jinja2.Environment:
    (folder / ".cache").mkdir(exist_ok=True)
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)),
                              bytecode_cache=jinja2.FileSystemBytecodeCache(str(folder / ".cache")) if cache else None,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)


def test_there_are_templates() -> None:
    assert len(TEMPLATES) >= 30


def test_cached_code_is_the_code_of_every_shipped_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(datafiles.CACHE_ENV, str(tmp_path))
    env = render._environment.__wrapped__()  # a fresh environment on the temporary cache folder
    assert isinstance(env.bytecode_cache, jinja2.FileSystemBytecodeCache)
    for name in TEMPLATES:
        env.get_template(name)  # compiles and stores
    assert len(list((tmp_path / "templates").iterdir())) == len(TEMPLATES)
    for name in TEMPLATES:
        source, filename, _ = env.loader.get_source(env, name)
        bucket = env.bytecode_cache.get_bucket(env, name, filename, source)
        assert bucket.code is not None, name
        assert bucket.code == env.compile(source, name, filename), name


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    (tmp_path / "t.j2").write_text("Hello {{ who }}", encoding="utf-8")
    assert _env(tmp_path).get_template("t.j2").render(who="a") == "Hello a"
    (tmp_path / "t.j2").write_text("Bye {{ who }}", encoding="utf-8")
    assert _env(tmp_path).get_template("t.j2").render(who="a") == "Bye a"  # a new process sees the new source


def test_no_writable_cache_folder_means_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(datafiles.CACHE_ENV, str(blocker))  # a file where the folder should be
    assert render._bytecode_cache(jinja2) is None
