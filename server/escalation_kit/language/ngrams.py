"""Tell Russian from other Cyrillic languages, and English from other Latin ones, by letter trigrams.

Short Ukrainian or Belarusian text often has none of the letters Russian lacks ("Маю ту ж проблему",
"Выберыце тып паведамлення"), and short German or Spanish text may have no word in the detector's
lists; their spelling still differs in letter sequences. The counts in
references/language/{cyrillic,latin}_trigrams.txt (built by make_trigram_models.py from real UI
translations) give each language a smoothed trigram likelihood. The text reads as another language
only when it beats the supported one (ru or en) by a clear margin per trigram, so the supported
language keeps the benefit of the doubt.
"""

from __future__ import annotations

import math
from functools import cache

from escalation_kit.paths import references_dir

SMOOTHING = 0.5
# Dirichlet prior toward the pooled trigram distribution: a trigram a small corpus never saw gets
# the pooled probability, not a bonus for the small corpus.
PRIOR = 1000.0
# Average log-likelihood lead per trigram another language needs over the supported one. Tuned on
# tests/data/language_short_tune.txt and tests/data/language_cases.txt, never on a held-out split.
MARGINS = {"cyrillic": 0.2, "latin": 0.3}
# Bulgarian shares most of its vocabulary and spelling with Russian ("Влияние на бизнес" is both),
# so it must lead by more before Russian text is called Bulgarian.
LANGUAGE_MARGINS = {"bg": 0.45}
REFERENCE = {"cyrillic": "ru", "latin": "en"}
MIN_TRIGRAMS = 6  # fewer letters than this say too little either way
MIN_WORDS = 3  # fewer words than this need a lead of SHORT_FACTOR times the margin ("Проблема решена")
SHORT_FACTOR = 6.0

# Letters each language's alphabet does not have (the standard modern alphabets, e.g.
# https://en.wikipedia.org/wiki/Cyrillic_alphabets): a text using one cannot be that language, whatever
# its trigrams say. Russian is never excluded (it is the language the others must beat).
NOT_IN_ALPHABET = {
    "uk": "ыэёъ", "be": "ищъ", "bg": "ыэё", "sr": "йщъьыэюяё", "mk": "йщъьыэюяё",
}

Model = tuple[tuple[str, ...], dict[str, tuple[float, ...]]]


@cache
def _model(name: str) -> Model:
    """Languages and the log-probability of each known trigram per language (smoothed toward the pool)."""
    langs: tuple[str, ...] = ()
    rows: dict[str, list[int]] = {}
    path = references_dir() / "language" / f"{name}_trigrams.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            if "counts for" in line:
                langs = tuple(line.split("counts for", 1)[1].strip(" .").split())
            continue
        gram, *counts = line.split("\t")
        rows[gram] = [int(c) for c in counts]
    totals = [sum(r[i] for r in rows.values()) for i in range(len(langs))]
    pool_total = sum(totals) + SMOOTHING * len(rows)
    table = {}
    for gram, counts in rows.items():
        pooled = (sum(counts) + SMOOTHING) / pool_total
        table[gram] = tuple(
            math.log((c + PRIOR * pooled) / (n + PRIOR)) for c, n in zip(counts, totals, strict=True)
        )
    return langs, table


def other_language(words: list[str], name: str) -> str | None:
    """The other language these lower-case words read as (model 'cyrillic' or 'latin'), or None.

    A text with fewer than MIN_WORDS words in this script keeps the supported language.
    """
    if len(words) < 2:
        return None
    langs, table = _model(name)
    sums = [0.0] * len(langs)
    n = 0
    for word in words:
        padded = f"^{word}$"
        for i in range(len(padded) - 2):
            row = table.get(padded[i:i + 3])
            if row is None:  # a trigram no language was seen with says nothing
                continue
            for j, value in enumerate(row):
                sums[j] += value
            n += 1
    if n < MIN_TRIGRAMS:
        return None
    ref = langs.index(REFERENCE[name])
    letters = set("".join(words))
    allowed = [j for j in range(len(langs)) if j != ref and not letters & set(NOT_IN_ALPHABET.get(langs[j], ""))]
    if not allowed:
        return None
    best = max(allowed, key=sums.__getitem__)
    margin = LANGUAGE_MARGINS.get(langs[best], MARGINS[name]) * (1 if len(words) >= MIN_WORDS else SHORT_FACTOR)
    return langs[best] if (sums[best] - sums[ref]) / n > margin else None
