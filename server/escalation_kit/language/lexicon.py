"""Word lists for the language detector, read lazily from references/language/words.txt."""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

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


# English word weights: function words are strong evidence, tech terms weak.
W_FUNCTION, W_COMMON, W_TECH = 1.0, 0.8, 0.25


class Lexicon(NamedTuple):  # not a frozen dataclass: ~0.1 ms to create, not ~0.5 (serve loads it at start)
    """Word lookups for the scorer, merged into one dict per script for speed."""

    latin: dict[str, tuple[float, str | None]]  # word -> (English weight, other language or None)
    cyrillic: dict[str, str]  # word -> "ru" or the other Cyrillic language it marks


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
    latin: dict[str, tuple[float, str | None]] = {w: (0.0, lang) for w, lang in other_lat.items()}
    latin.update((w, (W_TECH, None)) for w in raw["en_tech"])
    latin.update((w, (W_COMMON, None)) for w in raw["en_common"])
    latin.update((w, (W_FUNCTION, None)) for w in raw["en_function"])
    cyrillic = {w: lang for w, lang in other_cyr.items() if w not in shared}
    cyrillic.update((w, "ru") for w in raw["ru_marker"] - shared)
    return Lexicon(latin=latin, cyrillic=cyrillic)
