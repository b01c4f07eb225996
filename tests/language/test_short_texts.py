"""Real short texts: other Cyrillic and other Latin-script languages are unknown, Russian and English stay.

The sets come from UI translations of four open-source projects (tests/data/language_make_short.py):
the tuning split (Uptime Kuma keys the detector was tuned on), its held-out split (other keys) and three
sets from projects never used for training (AdGuard Home, Cachet, Jellyfin). The holdout and fresh sets
have since been tuned on; third and fourth are held out. Floors are the measured figures, rounded down.
"""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from pathlib import Path

import pytest

from escalation_kit.language.detect import DEFAULT_ANSWER, detect_language

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("language_bench", ROOT / "benchmarks" / "language.py")
assert _spec and _spec.loader
_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_bench)
DATA = ROOT / "tests" / "data"


def _accuracy(name: str) -> tuple[float, dict[str, float], int]:
    cases = _bench.load_cases(DATA / f"language_short_{name}.txt")
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case in cases:
        per[case["kind"]][0] += detect_language(case["text"]).language == case["label"]
        per[case["kind"]][1] += 1
    overall = sum(h for h, _ in per.values()) / len(cases)
    return overall, {k: h / t for k, (h, t) in per.items()}, len(cases)


# (set, overall floor, other-Cyrillic floor, other-Latin floor, supported ru/en/zh floor). tune, holdout and
# fresh were tuned on (session 11 looked at their errors); third and fourth were scored once at the end.
FLOORS = [
    ("tune", 0.98, 0.97, 0.97, 0.99),
    ("holdout", 0.98, 0.99, 0.97, 0.99),
    ("fresh", 0.98, 0.99, 0.96, 0.98),
    ("third", 0.99, 0.95, 0.97, 0.99),
    ("fourth", 0.99, 0.99, 0.99, 0.99),
]


@pytest.mark.parametrize(("name", "overall", "cyr", "lat", "supported"), FLOORS, ids=[f[0] for f in FLOORS])
def test_short_text_sets_meet_their_floors(name: str, overall: float, cyr: float, lat: float, supported: float) -> None:
    got, per, n = _accuracy(name)
    assert n >= 300
    assert got >= overall, (got, per)
    assert per["other_cyrillic"] >= cyr, per
    assert per["other_latin"] >= lat, per
    assert per["short"] >= supported, per


def test_sets_are_sourced_and_the_splits_share_no_message() -> None:
    tune = _bench.load_cases(DATA / "language_short_tune.txt")
    held = _bench.load_cases(DATA / "language_short_holdout.txt")
    for case in tune + held:
        assert case["source"].startswith("https://github.com/louislam/uptime-kuma/blob/"), case["id"]
    keys = lambda cases: {c["source"].split("#", 1)[1] for c in cases}  # noqa: E731
    assert keys(tune).isdisjoint(keys(held))


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalpha())


def test_fourth_set_is_sourced_and_shares_no_text_with_any_other_set() -> None:
    fourth = _bench.load_cases(DATA / "language_short_fourth.txt")
    assert len(fourth) >= 600
    assert all(c["source"].startswith("https://github.com/jellyfin/jellyfin-web/blob/") for c in fourth)
    others = [p for p in DATA.glob("language_*.txt") if p.name != "language_short_fourth.txt"]
    assert len(others) >= 6
    seen = {_letters(c["text"]) for p in others for c in _bench.load_cases(p)}
    assert not {_letters(c["text"]) for c in fourth} & seen


def test_word_tables_are_large_and_list_no_common_russian_or_english_word() -> None:
    from escalation_kit.language.ngrams import _other_words

    for name in ("cyrillic", "latin"):
        table = _other_words(name)
        assert len(table) > 10000
        assert not {"сервер", "ошибка", "the", "server", "error"} & table.keys()


@pytest.mark.parametrize("text", [
    "Маю ту ж проблему після оновлення, сервер не відповідає",
    "Маю ту ж проблему",
    "Сервер не адказвае з раніцы, кліенты не могуць увайсці",
    "Выберыце тып паведамлення",
    "Сървърът не отговаря от тази сутрин",
])
def test_short_other_cyrillic_is_not_russian(text: str) -> None:
    result = detect_language(text)
    assert result.language == "unknown", result.evidence
    assert result.answer_language == DEFAULT_ANSWER
    assert "not Russian" in result.evidence.note


@pytest.mark.parametrize("text", [
    "Der Server ist seit heute Morgen nicht erreichbar",
    "El servidor no responde desde esta mañana",
    "Le serveur ne répond plus depuis ce matin",
    "Il server non risponde da stamattina",
    "Serwer nie odpowiada od rana",
    "Sunucu sabahtan beri yanıt vermiyor",
])
def test_other_latin_script_languages_are_unknown_and_answered_by_the_fallback_rule(text: str) -> None:
    result = detect_language(text)
    assert result.language == "unknown", result.evidence
    assert result.answer_language == DEFAULT_ANSWER
    assert f"answering in {DEFAULT_ANSWER}" in result.evidence.note


@pytest.mark.parametrize(("text", "label"), [
    ("Проблема решена", "ru"),
    ("Сервер умер", "ru"),
    ("Влияние на бизнес", "ru"),
    ("Журнал запросов и статистика", "ru"),
    ("сервер сервер сервер", "ru"),
    ("прод база сервер не отвечает", "ru"),
    ("Сервер не отвечает с утра, клиенты не могут войти", "ru"),
    ("Checkout is down again", "en"),
    ("open modal to confirm the rollback", "en"),
    ("RabbitMQ Management Nodes are unreachable", "en"),
])
def test_supported_languages_keep_the_benefit_of_the_doubt(text: str, label: str) -> None:
    assert detect_language(text).language == label
