"""Tell Russian from other Cyrillic languages, and English from other Latin ones, by letter trigrams.

Short Ukrainian or Belarusian text often has none of the letters Russian lacks ("Маю ту ж проблему",
"Выберыце тып паведамлення"), and short German or Spanish text may have no word in the detector's
lists; their spelling still differs in letter sequences. The counts in
references/language/{cyrillic,latin}_trigrams.txt (built by make_trigram_models.py from real UI
translations) give each language a smoothed trigram likelihood. The text reads as another language
only when it beats the supported one (ru or en) by a clear margin per trigram, so the supported
language keeps the benefit of the doubt.

Before the trigrams, the words themselves: references/language/{cyrillic,latin}_words.txt list words the
other languages use and Russian or English does not ("доступу", "паведамленне", "instellingen", "jours"),
built from large vocabularies (the same sources plus word-frequency lists). A text with such a word reads
as that language when its trigrams also lean that way rather than to Russian or English: a listed word
alone never decides.
"""

from __future__ import annotations

import array
import json
import math
import sys
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache
from pathlib import Path

from escalation_kit.datafiles import derived_path, write_atomic
from escalation_kit.paths import references_dir

SMOOTHING = 0.5
# Dirichlet prior toward the pooled trigram distribution: a trigram a small corpus never saw gets
# the pooled probability, not a bonus for the small corpus.
PRIOR = 1000.0
# Average log-likelihood lead per trigram another language needs over the supported one. Tuned on
# tests/data/language_short_tune.txt and tests/data/language_cases.txt, never on a held-out split.
MARGINS = {"cyrillic": 0.2, "latin": 0.3}
# Bulgarian, Serbian and Macedonian share much everyday and technical vocabulary with Russian
# ("Влияние на бизнес", "сервер", "база"), so they must lead by more before Russian text is called theirs.
LANGUAGE_MARGINS = {"bg": 0.45, "sr": 0.45, "mk": 0.45}
REFERENCE = {"cyrillic": "ru", "latin": "en"}
MIN_TRIGRAMS = 6  # fewer letters than this say too little either way
MIN_WORDS = 3  # fewer words than this need a lead of SHORT_FACTOR times the margin ("Проблема решена")
SHORT_FACTOR = 6.0
MAX_WORDS = 20  # the first twenty words of a script decide; a long log or paste costs no more

# Letters each language's alphabet does not have (the standard modern alphabets, e.g.
# https://en.wikipedia.org/wiki/Cyrillic_alphabets): a text using one cannot be that language, whatever
# its trigrams say. Russian is never excluded (it is the language the others must beat).
NOT_IN_ALPHABET = {
    "uk": "ыэёъ", "be": "ищъ", "bg": "ыэё", "sr": "йщъьыэюяё", "mk": "йщъьыэюяё",
}

class _Model:
    """One trigram table; a row's log-probabilities are computed the first time it is needed.

    The table comes from a snapshot (``_load_table``): an index by the first two letters and every
    count in one machine-integer array, read in about a millisecond where parsing the text took 4-13 ms.
    """

    def __init__(self, name: str) -> None:
        self.langs, self.totals, self.index, self.counts = _load_table(name)
        self.width = len(self.langs)
        self.pool_total = sum(self.totals) + SMOOTHING * (len(self.counts) // self.width)
        self.rows: dict[str, tuple[float, ...] | None] = {}

    def counts_of(self, gram: str) -> list[int] | None:
        """Each language's count of ``gram``, or None for a trigram the table does not have."""
        entry = self.index.get(gram[:2])
        if entry is None or len(gram) != 3:
            return None
        at = entry[0].find(gram[2])
        if at < 0:
            return None
        start = (entry[1] + at) * self.width
        return self.counts[start:start + self.width].tolist()

    def row(self, gram: str) -> tuple[float, ...] | None:
        """Smoothed log-probability of ``gram`` per language, or None for a trigram no language has."""
        if gram in self.rows:
            return self.rows[gram]
        values = self.counts_of(gram)
        row = None
        if values is not None:
            pooled = (sum(values) + SMOOTHING) / self.pool_total
            row = tuple(math.log((c + PRIOR * pooled) / (n + PRIOR)) for c, n in zip(values, self.totals, strict=True))
        self.rows[gram] = row
        return row

    def word(self, word: str) -> tuple[tuple[float, ...], int]:
        """Summed log-probabilities of a word's known trigrams, and how many there were (cached per word)."""
        return _word_vector(self, word)


# langs, totals, {first two letters: (third letters, index of the first)}, counts (one row per trigram)
Table = tuple[tuple[str, ...], list[int], dict[str, tuple[str, int]], array.array]


def _counts_array(values: list[int]) -> array.array:
    """The counts as 2-byte unsigned integers when they fit (half the bytes to read), else 4-byte ones."""
    wide = max(values, default=0) >= 1 << 16
    return array.array(next(code for code in "HIL" if array.array(code).itemsize == (4 if wide else 2)), values)


def _load_table(name: str) -> Table:
    """The table from its snapshot, keyed by the text file, this module and the byte order; else parsed."""
    source = references_dir() / "language" / f"{name}_trigrams.txt"
    target = derived_path(f"trigrams-{name}", [source, Path(__file__)], ".bin", sys.byteorder.encode())
    try:
        return _decode(target.read_bytes())
    except (OSError, ValueError, KeyError, TypeError):
        pass
    table = parse_table(source.read_text(encoding="utf-8"))
    write_atomic(target, _encode(table))
    return table


def parse_table(text: str) -> Table:
    """Parse a trigram file: '# ... counts for <langs>.', '# totals <n...>', then 'gram<TAB>count<TAB>...' lines."""
    langs: tuple[str, ...] = ()
    totals: list[int] = []
    rows: dict[str, list[int]] = {}
    for line in text.splitlines():
        if line.startswith("#"):
            if "counts for" in line:
                langs = tuple(line.split("counts for", 1)[1].strip(" .").split())
            elif line.startswith("# totals "):
                totals = [int(x) for x in line[9:].split()]
            continue
        gram, _, counts = line.partition("\t")
        rows[gram] = [int(c) for c in counts.split("\t")]
    bad = [gram for gram, values in rows.items() if len(gram) != 3 or " " in gram or len(values) != len(langs)]
    if bad or len(totals) != len(langs):
        raise ValueError(f"malformed trigram table: {len(bad)} bad rows, e.g. {bad[:3]}")
    index: dict[str, tuple[str, int]] = {}
    ordered = sorted(rows)
    for number, gram in enumerate(ordered):
        thirds, first = index.get(gram[:2], ("", number))
        index[gram[:2]] = (thirds + gram[2], first)
    return langs, totals, index, _counts_array([count for gram in ordered for count in rows[gram]])


def _encode(table: Table) -> bytes:
    """A JSON header line (the index as three flat fields, quick to parse), then the counts' bytes."""
    langs, totals, index, counts = table
    head = {"langs": langs, "totals": totals, "prefixes": "".join(index),
            "thirds": " ".join(thirds for thirds, _ in index.values()),
            "firsts": [first for _, first in index.values()],
            "size": len(counts), "typecode": counts.typecode, "itemsize": counts.itemsize}
    return json.dumps(head, ensure_ascii=False).encode("utf-8") + b"\n" + counts.tobytes()


def _decode(blob: bytes) -> Table:
    """A snapshot written by ``_encode``; ValueError when it is damaged or from another integer width."""
    head_bytes, _, body = blob.partition(b"\n")
    head = json.loads(head_bytes)
    counts = array.array(head["typecode"])
    if head["itemsize"] != counts.itemsize:
        raise ValueError("snapshot written with another integer width")
    counts.frombytes(body)
    langs, totals, prefixes = tuple(head["langs"]), head["totals"], head["prefixes"]
    thirds, firsts = head["thirds"].split(" "), head["firsts"]
    if (len(counts) != head["size"] or not langs or len(counts) % len(langs) or len(totals) != len(langs)
            or not len(prefixes) == 2 * len(thirds) == 2 * len(firsts)):
        raise ValueError("damaged trigram snapshot")
    keys = [prefixes[i:i + 2] for i in range(0, len(prefixes), 2)]
    return langs, totals, dict(zip(keys, zip(thirds, firsts, strict=True), strict=True)), counts


@lru_cache(maxsize=1 << 16)
def _word_vector(model: _Model, word: str) -> tuple[tuple[float, ...], int]:
    """A word's trigram evidence: the same word costs one lookup the next time it is seen."""
    padded = f"^{word}$"
    rows = [row for i in range(len(padded) - 2) if (row := model.row(padded[i:i + 3])) is not None]
    if not rows:
        return (), 0
    return tuple(sum(column) for column in zip(*rows, strict=True)), len(rows)


@cache
def _model(name: str) -> _Model:
    """The trigram table for 'cyrillic' or 'latin', read once per process."""
    return _Model(name)


class _WordTable(Mapping[str, tuple[str, ...]]):
    """Word -> the other languages that use it, read from a snapshot without building a dict of 50,000 words.

    Words are kept in buckets by their first two letters, each bucket one space-separated string, so a
    lookup searches one short string; a word's position there indexes an array of language-set numbers.
    """

    def __init__(self, sets: list[tuple[str, ...]], buckets: dict[str, tuple[str, int]], ids: array.array,
                 size: int) -> None:
        self.sets, self.buckets, self.ids, self.size = sets, buckets, ids, size

    def __getitem__(self, word: str) -> tuple[str, ...]:
        entry = self.buckets.get(word[:2])
        at = -1 if entry is None or " " in word else entry[0].find(f" {word} ")
        if at < 0:
            raise KeyError(word)
        return self.sets[self.ids[entry[1] + entry[0].count(" ", 0, at)]]

    def __iter__(self) -> Iterator[str]:
        for words, _ in self.buckets.values():
            yield from words.split()

    def __len__(self) -> int:
        return self.size


@cache
def _other_words(name: str) -> Mapping[str, tuple[str, ...]]:
    """Word -> the other languages that use it (Russian or English does not), loaded once per process.

    Parsing the 480 KB or 1.1 MB word file took 12-17 ms; its snapshot (keyed like the trigram tables')
    loads in about 2 ms.
    """
    source = references_dir() / "language" / f"{name}_words.txt"
    target = derived_path(f"words-{name}", [source, Path(__file__)], ".bin", sys.byteorder.encode())
    try:
        return _decode_words(target.read_bytes())
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        pass
    table = word_table(parse_words(source.read_text(encoding="utf-8")))
    write_atomic(target, _encode_words(table))
    return table


def parse_words(text: str) -> dict[str, tuple[str, ...]]:
    """A word file: '[langs]' section lines, then space-separated words; a later section wins for a word."""
    out: dict[str, tuple[str, ...]] = {}
    langs: tuple[str, ...] = ()
    for line in text.splitlines():
        if line.startswith("["):
            langs = tuple(line[1:-1].split())
        elif line and not line.startswith("#"):
            out.update(dict.fromkeys(line.split(), langs))
    return out


def word_table(words: dict[str, tuple[str, ...]]) -> _WordTable:
    """The bucketed form of a word -> languages dict."""
    sets = sorted(set(words.values()))
    number = {langs: i for i, langs in enumerate(sets)}
    grouped: dict[str, list[str]] = {}
    for word in sorted(words):
        grouped.setdefault(word[:2], []).append(word)
    buckets, ids, base = {}, [], 0
    for key, members in grouped.items():
        buckets[key] = (f" {' '.join(members)} ", base)
        ids += [number[words[word]] for word in members]
        base += len(members)
    return _WordTable(sets, buckets, _counts_array(ids), len(words))


def _encode_words(table: _WordTable) -> bytes:
    """A JSON header line, the language-set numbers' bytes, then every bucket's words as UTF-8."""
    texts = "\t".join(words for words, _ in table.buckets.values()).encode("utf-8")
    head = {"sets": table.sets, "keys": " ".join(table.buckets), "bases": [b for _, b in table.buckets.values()],
            "size": table.size, "typecode": table.ids.typecode, "itemsize": table.ids.itemsize,
            "ids_bytes": len(table.ids) * table.ids.itemsize, "texts_bytes": len(texts)}
    return json.dumps(head, ensure_ascii=False).encode("utf-8") + b"\n" + table.ids.tobytes() + texts


def _decode_words(blob: bytes) -> _WordTable:
    """A snapshot written by ``_encode_words``; ValueError when it is damaged."""
    head_bytes, _, body = blob.partition(b"\n")
    head = json.loads(head_bytes)
    ids = array.array(head["typecode"])
    cut = head["ids_bytes"]
    if head["itemsize"] != ids.itemsize or len(body) != cut + head["texts_bytes"]:
        raise ValueError("damaged word snapshot")
    ids.frombytes(body[:cut])
    texts, keys = body[cut:].decode("utf-8").split("\t"), head["keys"].split(" ")
    if not len(texts) == len(keys) == len(head["bases"]) or len(ids) != head["size"]:
        raise ValueError("damaged word snapshot")
    sets = [tuple(langs) for langs in head["sets"]]
    return _WordTable(sets, dict(zip(keys, zip(texts, head["bases"], strict=True), strict=True)), ids, head["size"])


def _by_words(name: str, words: list[str], langs: tuple[str, ...], sums: list[float], ref: int,
              allowed: list[int]) -> str | None:
    """The language whose own words the text uses most, if its trigrams also lead the supported one's."""
    if max(sums[j] for j in allowed) <= sums[ref]:  # no language can lead: the table need not be read
        return None
    table, votes = _other_words(name), {}
    for word in words[:MAX_WORDS]:
        for lang in table.get(word, ()):
            votes[lang] = votes.get(lang, 0) + 1
    candidates = [lang for lang in votes if langs.index(lang) in allowed]
    if not candidates:
        return None
    best = max(candidates, key=lambda lang: (votes[lang], sums[langs.index(lang)]))
    return best if sums[langs.index(best)] > sums[ref] else None


def _evidence(words: list[str], model: _Model) -> tuple[list[float], int]:
    """Summed trigram log-probabilities per language over the first MAX_WORDS words, and the trigram count."""
    sums, n = [0.0] * len(model.langs), 0
    for word in words[:MAX_WORDS]:
        vector, count = model.word(word)
        if count:
            sums = [a + b for a, b in zip(sums, vector, strict=True)]
            n += count
    return sums, n


def other_language(words: list[str], name: str, spelling: bool = True) -> str | None:
    """The other language these lower-case words read as (model 'cyrillic' or 'latin'), or None.

    A word that only another language uses decides when the trigrams agree (see _by_words). Otherwise,
    with ``spelling``, the trigrams alone decide by a margin; a text with fewer than MIN_WORDS words in
    this script needs SHORT_FACTOR times that margin.
    """
    words = list(dict.fromkeys(words))  # a repeated word ("сервер сервер сервер") is no new evidence
    if not words:
        return None
    model = _model(name)
    langs = model.langs
    sums, n = _evidence(words, model)
    ref = langs.index(REFERENCE[name])
    letters = set("".join(words))
    allowed = [j for j in range(len(langs)) if j != ref and not letters & set(NOT_IN_ALPHABET.get(langs[j], ""))]
    if not allowed:
        return None
    if (by_words := _by_words(name, words, langs, sums, ref, allowed)) is not None:
        return by_words
    if not spelling or len(words) < 2 or n < MIN_TRIGRAMS:
        return None
    best = max(allowed, key=sums.__getitem__)
    margin = LANGUAGE_MARGINS.get(langs[best], MARGINS[name]) * (1 if len(words) >= MIN_WORDS else SHORT_FACTOR)
    return langs[best] if (sums[best] - sums[ref]) / n > margin else None
