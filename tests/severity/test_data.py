"""The severity data files are complete and the compiled lexicon matches what the plain patterns would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from escalation_kit.language import script_language
from escalation_kit.paths import references_dir
from escalation_kit.severity.data import LANGUAGES, first_chars, lexicon, questions, rules
from escalation_kit.severity.match import find_signals
from escalation_kit.vocab import SEVERITIES


def _raw_lexicon() -> dict:
    with (references_dir() / "severity" / "lexicon.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def test_every_question_exists_in_three_languages() -> None:
    catalogue = questions()
    assert rules()["probes"], "nothing to check"
    for feature in rules()["probes"]:
        assert set(catalogue[feature]) == set(LANGUAGES), feature
        assert re.search(r"[\u0400-\u04ff]", catalogue[feature]["ru"])
        assert re.search(r"[\u4e00-\u9fff]", catalogue[feature]["zh"])


def test_rule_ids_unique_and_base_ends_with_catch_all() -> None:
    table = rules()
    ids = [r["id"] for stage in ("override", "base", "cap", "floor") for r in table[stage]]
    assert len(ids) == len(set(ids))
    assert table["base"][-1]["when"] == {}
    for stage in ("override", "base", "cap", "floor"):
        for rule in table[stage]:
            assert rule["level"] in SEVERITIES and rule["says"]


def test_every_signal_has_patterns_in_all_three_languages() -> None:
    assert _raw_lexicon()["signals"], "nothing to check"
    for sig in _raw_lexicon()["signals"]:
        if sig["kind"] == "workloads_ok" or sig["id"].startswith("no-"):
            continue
        assert set(sig["patterns"]) | set(sig.get("pairs") or {}) >= {"en", "ru", "zh"}, sig["id"]


def test_pairs_match_both_orders_within_the_gap() -> None:
    from escalation_kit.severity.data import pair_patterns

    spec = {"a": ["backups?"], "b": ["exposed"], "gap": 2}
    regexes = [re.compile(p, re.IGNORECASE) for p in pair_patterns("en", spec)]
    assert any(r.search("the backup was exposed") for r in regexes)
    assert any(r.search("exposed internal backups") for r in regexes)
    assert not any(r.search("the backup of last year was then finally exposed") for r in regexes)
    assert len(pair_patterns("en", {**spec, "order": "ab"})) == 1


def test_traditional_chinese_matches_like_simplified() -> None:
    from escalation_kit.severity.classify import classify_severity

    simplified = classify_severity("所有用户无法登录，网站完全无法访问")
    traditional = classify_severity("所有用戶無法登錄，網站完全無法訪問")
    assert traditional.severity == simplified.severity == "P0"
    assert [s.id for s in traditional.signals] == [s.id for s in simplified.signals]
    assert "無法登錄" in {s.text for s in traditional.signals}


def test_a_later_pattern_matches_its_traditional_spelling() -> None:
    """traditional.txt once listed only the characters the patterns of its day used, so 暂停服务 (a later
    pattern) never matched 暫停服務, which read as an outage word (停服) instead of planned work."""
    from escalation_kit.severity.classify import classify_severity

    notice = "系統暫停服務公告：12月5日 22:00 至 23:00 進行系統升級，屆時將暫停所有服務。"
    simplified = "系统暂停服务公告：12月5日 22:00 至 23:00 进行系统升级，届时将暂停所有服务。"
    got, want = classify_severity(notice), classify_severity(simplified)
    assert (got.severity, got.decided_by) == (want.severity, want.decided_by) == ("P3", "B-planned-work")
    assert [s.id for s in got.signals] == [s.id for s in want.signals]


def test_simplified_translates_exactly_when_a_mapped_character_is_there() -> None:
    """``simplified`` skips the translation when its character class finds nothing: every mapped character,
    including those outside the CJK block (compatibility ideographs), must be in that class."""
    from escalation_kit.severity.data import simplified, traditional_to_simplified

    table = traditional_to_simplified()
    for code, value in table.items():
        text = f"网站{chr(code)}down"
        assert simplified(text) == text.translate(table) == f"网站{value}down"
    plain = "所有用户无法登录 the site is down"
    assert simplified(plain) is plain


def test_the_traditional_table_is_what_opencc_gives() -> None:
    """traditional.txt is reproducible from OpenCC plus the project's own pairs (its header names the OpenCC
    version it was built with; only the pairs are compared)."""
    pytest.importorskip("opencc")  # a test extra
    import importlib.util

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "build_traditional_table.py"
    spec = importlib.util.spec_from_file_location("build_traditional_table", path)
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    assert builder.pair_lines(builder.OUT.read_text(encoding="utf-8")) == builder.pair_lines(builder.render())
    assert len(builder.pair_lines(builder.render())) > 4000


@pytest.mark.parametrize(("pattern", "expected"), [
    ("(?:is|are)? down", {"i", "a", " "}),
    ("宕机|不可用", {"宕", "不"}),
    (r"\w+ x", None),
    ("[0-9]{1,2} ?%", set("0123456789")),
])
def test_first_chars(pattern: str, expected: set | None) -> None:
    assert first_chars(pattern) == expected


def _plain_matches(text: str) -> set[tuple[int, int, str]]:
    """What one naive alternation per signal would find: used to check the bucketed regex loses nothing."""
    found = set()
    wrap = {"en": r"\b(?:{})\b", "ru": r"(?<!\w)(?:{})", "zh": "(?:{})"}
    for sig in _raw_lexicon()["signals"]:
        for lang, pats in sig["patterns"].items():
            for m in re.finditer(wrap[lang].format("|".join(pats)), text, re.IGNORECASE):
                found.add((m.start(), m.end(), sig["id"]))
    return found


@pytest.mark.parametrize("text", [
    "Production checkout is down for all users in us-east-1, no workaround",
    "Прод лежит, всё недоступно для всех клиентов, оплата не проходит",
    "生产环境全部不可用，所有用户无法登录，暂无规避方案",
    "possible data breach: unknown IP pulled the customers table export",
])
def test_bucketed_regex_finds_only_real_matches(text: str) -> None:
    plain = _plain_matches(text)
    hits = find_signals(text, script_language(text))
    assert hits
    for h in hits:
        assert (h.start, h.end, h.sig.id) in plain


def test_lexicon_compiles_once_and_is_cached() -> None:
    assert lexicon() is lexicon()


def test_a_cue_repeated_thousands_of_times_is_read_from_its_first_signals() -> None:
    """'慢慢慢…' at 20,000 characters: the answer and the signal list stay bounded (MAX_HITS)."""
    from escalation_kit.severity.classify import MAX_TEXT_CHARS, classify_severity
    from escalation_kit.severity.match import MAX_HITS

    long = classify_severity("慢" * MAX_TEXT_CHARS)
    short = classify_severity("慢" * 40)
    assert len(long.signals) == MAX_HITS and len(short.signals) == 40
    assert long.severity == short.severity and long.features == short.features
