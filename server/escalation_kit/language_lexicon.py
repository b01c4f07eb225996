"""Word lists for the language detector, read lazily from references/language/words.txt."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from escalation_kit.paths import references_dir

OTHER_CYRILLIC = ("uk", "be", "bg", "sr")
OTHER_LATIN = ("es", "pt", "fr", "de", "it", "nl", "pl", "tr", "id", "sv")

# Letters that Russian never uses, and the languages that do (the first one is reported).
OTHER_CYRILLIC_LETTERS: dict[str, str] = {
    **dict.fromkeys("іїєґ", "uk"),
    "ў": "be",
    **dict.fromkeys("әғқңөұүһ", "kk"),
    **dict.fromkeys("ђјљњћџ", "sr"),
    **dict.fromkeys("ѓќѕ", "mk"),
}


@dataclass(frozen=True)
class Lexicon:
    """The word sets the scorer looks words up in."""

    en_function: frozenset[str]
    en_common: frozenset[str]
    en_tech: frozenset[str]
    ru_marker: frozenset[str]
    other_cyrillic: dict[str, str]
    other_latin: dict[str, str]


def _parse(text: str) -> dict[str, set[str]]:
    """Split the sectioned word file into {section: words}."""
    sections: dict[str, set[str]] = {}
    current: set[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], set())
        elif current is not None:
            current.update(line.split())
    return sections


@cache
def lexicon() -> Lexicon:
    """Load and cross-check the word lists once per process."""
    raw = _parse((references_dir() / "language" / "words.txt").read_text(encoding="utf-8"))
    english = raw["en_function"] | raw["en_common"] | raw["en_tech"]
    other_cyr: dict[str, str] = {}
    for lang in OTHER_CYRILLIC:
        for word in raw[f"{lang}_marker"]:
            other_cyr.setdefault(word, lang)
    shared = raw["ru_marker"] & other_cyr.keys()
    other_lat: dict[str, str] = {}
    for lang in OTHER_LATIN:
        for word in raw[lang] - english:
            other_lat.setdefault(word, lang)
    return Lexicon(
        en_function=frozenset(raw["en_function"]),
        en_common=frozenset(raw["en_common"] - raw["en_function"]),
        en_tech=frozenset(raw["en_tech"] - raw["en_function"] - raw["en_common"]),
        ru_marker=frozenset(raw["ru_marker"] - shared),
        other_cyrillic={w: lang for w, lang in other_cyr.items() if w not in shared},
        other_latin=other_lat,
    )
