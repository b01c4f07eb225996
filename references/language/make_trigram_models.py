"""Build references/language/{cyrillic,latin}_trigrams.txt: letter-trigram counts per language.

The detector uses these counts to tell short Russian text from Ukrainian, Belarusian, Bulgarian,
Serbian, Macedonian and Kazakh text that carries none of their own letters ("Маю ту ж проблему"),
and short English text from German, Spanish, French and other Latin-script languages.
Training text (real translations written by people, no held-out material):
  - uBlock Origin's UI translations, src/_locales/<lang>/messages.json at commit
    fe277a4ea6d18a0a62757826bb665a92c04a0745 (https://github.com/gorhill/uBlock), all messages;
  - Uptime Kuma's UI translations, src/lang/<file>.json at commit
    6398a9581d1c3c427a7536559f47ccf45dac08b4 (https://github.com/louislam/uptime-kuma), only the keys of
    the tuning split (tests/data/language_make_short.py), so the held-out split stays unseen.

  - general word frequencies from the wordfreq package (version 3.1.1, data CC BY-SA 4.0, built from
    Wikipedia, subtitles, news, books and web text; https://github.com/rspeer/wordfreq), the top
    WORDFREQ_WORDS words of each language it has in the script, weighted by frequency to WORDFREQ_MASS
    trigrams per language, so everyday words ("журнал", "запросов") are known beyond UI wording.
    Belarusian and Kazakh have no wordfreq list (it falls back to Russian), Serbian's is Latin: those
    three use the UI text only.
  - the message catalogs of the GNU/Linux system software installed from Debian packages
    (/usr/share/locale/<locale>/LC_MESSAGES/*.mo: coreutils, glibc, systemd, GLib, GTK, grep, wget,
    tar, apt, dpkg, PAM, PostgreSQL...; the iso_* code-name lists left out), so each language also
    has thousands of real system and error messages, and Belarusian, Serbian, Macedonian and Kazakh,
    thin elsewhere, get real text. English is the catalogs' msgids; a translation identical to its
    msgid is left out. Each language's catalog mass is capped at GETTEXT_MASS trigrams. The packages
    and versions read are written into each table's header.
A training text (uBlock, Uptime Kuma or a catalog, once its printf placeholders are removed) whose
letters equal a text of a held-out set (tests/data/language_short_{holdout,fresh,third,fourth}.txt,
language_holdout.txt) is left out, so no held-out text is in the training data.

It also writes references/language/cyrillic_words.txt: the words Ukrainian, Belarusian, Bulgarian,
Serbian, Macedonian or Kazakh use that Russian does not, spelt only with letters Russian also has
(a word with "і" or "ў" is already told apart by its letters), and latin_words.txt: the words German,
Spanish, French... use that English does not, in plain ASCII letters (a word with a diacritic already
counts as another language). A language's vocabulary is the words of its training text above (for the
Latin languages, those seen at least three times) plus its most frequent wordfreq words (30,000 Cyrillic,
5,000 Latin); Russian's and English's is every word of their training text plus their 100,000 most
frequent wordfreq words, larger on purpose, so a Russian or English word missing from them is rare
(WORD_TABLES).

    pip install wordfreq==3.1.1   # build-time only; the detector never imports it
    python references/language/make_trigram_models.py <uBlock mirror> <uptime-kuma mirror> [--no-gettext]
"""

from __future__ import annotations

import gettext
import hashlib
import json
import re
import subprocess
import sys
from collections import Counter
from functools import cache
from pathlib import Path

UBLOCK = "fe277a4ea6d18a0a62757826bb665a92c04a0745"
KUMA = "6398a9581d1c3c427a7536559f47ccf45dac08b4"
# model -> (ISO code -> (uBlock locale, Uptime Kuma file or None)), and the letters a word is made of
MODELS = {
    "cyrillic": ({"ru": ("ru", "ru-RU"), "uk": ("uk", "uk-UA"), "be": ("be", "be"), "bg": ("bg", "bg-BG"),
                  "sr": ("sr", "sr"), "mk": ("mk", "mk"), "kk": ("kk", None)}, "[\u0400-\u052f]+"),
    "latin": ({"en": ("en", "en"), "de": ("de", "de-DE"), "es": ("es", "es-ES"), "fr": ("fr", "fr-FR"),
               "it": ("it", "it-IT"), "pt": ("pt_BR", "pt-BR"), "nl": ("nl", "nl-NL"), "pl": ("pl", "pl"),
               "tr": ("tr", "tr-TR"), "id": ("id", "id-ID"), "sv": ("sv", "sv-SE"), "cs": ("cs", "cs-CZ"),
               "ro": ("ro", "ro")}, "[a-z\u00df-\u00f6\u00f8-\u024f']+"),
}
# gettext locale directory per ISO code (None: the msgids, which are English)
GETTEXT = {"ru": "ru", "uk": "uk", "be": "be", "bg": "bg", "sr": "sr", "mk": "mk", "kk": "kk", "en": None,
           "de": "de", "es": "es", "fr": "fr", "it": "it", "pt": "pt_BR", "nl": "nl", "pl": "pl", "tr": "tr",
           "id": "id", "sv": "sv", "cs": "cs", "ro": "ro"}
LOCALE_DIR = Path("/usr/share/locale")
GETTEXT_MASS = 300000.0
_FORMAT = re.compile(r"%(?:\d+\$)?[-#0 +']*\d*(?:\.\d+)?(?:hh|ll|[hlLqjzt])?[a-zA-Z%]|\$\{?\w+\}?|\{\w*\}")
HELD_OUT = ("language_short_holdout.txt", "language_short_fresh.txt", "language_short_third.txt",
            "language_short_fourth.txt", "language_holdout.txt")
MIN_COUNT = 2  # a trigram seen once in every language is noise
WORDFREQ_WORDS = 30000
WORDFREQ_MASS = 300000.0
WORDFREQ = {"ru", "uk", "bg", "mk", "en", "de", "es", "fr", "it", "pt", "nl", "pl", "tr", "id", "sv", "cs", "ro"}


def _wordfreq_counts(lang: str, word: re.Pattern[str]) -> Counter:
    """Trigram mass from the language's most frequent words, scaled to WORDFREQ_MASS."""
    from wordfreq import top_n_list, word_frequency

    words = [w for w in top_n_list(lang, WORDFREQ_WORDS) if word.fullmatch(w)]
    freqs = {w: word_frequency(w, lang) for w in words}
    mass = sum(f * len(trigrams(w)) for w, f in freqs.items())
    out: Counter = Counter()
    for w, f in freqs.items():
        for g in trigrams(w):
            out[g] += f * WORDFREQ_MASS / mass
    return out


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalpha())


@cache
def _held_out_texts() -> frozenset[str]:
    """The letters of every held-out text (training must not contain one)."""
    data = Path(__file__).resolve().parents[2] / "tests" / "data"
    seen: set[str] = set()
    for name in HELD_OUT:
        body: list[str] = []
        for line in (data / name).read_text(encoding="utf-8").splitlines() + ["=== end"]:
            if line.startswith("=== "):
                if body:
                    seen.add(_letters("\n".join(body)))
                body = []
            elif not line.startswith("#"):
                body.append(line)
    return frozenset(seen)


def _catalogs(locale: str) -> list[Path]:
    return sorted(p for p in (LOCALE_DIR / locale / "LC_MESSAGES").glob("*.mo") if not p.name.startswith("iso_"))


def gettext_texts(lang: str, held_out: set[str]) -> list[str]:
    """Every translated message of the installed catalogs for one language (msgids for English)."""
    out: list[str] = []
    for path in _catalogs(GETTEXT[lang] or "ru"):
        try:
            with path.open("rb") as fh:
                catalog = gettext.GNUTranslations(fh)._catalog  # the parsed .mo: {msgid: msgstr}
        except UnicodeDecodeError:  # a catalog in a legacy charset is left out
            continue
        for key, value in catalog.items():
            msgid = key[0] if isinstance(key, tuple) else key
            if not msgid or not isinstance(value, str):
                continue
            msgid = msgid.split("\x04")[-1]  # drop a msgctxt
            text = msgid if GETTEXT[lang] is None else value
            text = _FORMAT.sub(" ", text)
            if (GETTEXT[lang] is not None and value == msgid) or _letters(text) in held_out:
                continue
            out.append(text)
    return list(dict.fromkeys(out)) if GETTEXT[lang] is None else out


def _gettext_counts(lang: str, word: re.Pattern[str], held_out: set[str]) -> Counter:
    """Trigram counts of the catalogs, scaled down to GETTEXT_MASS when larger."""
    out: Counter = Counter()
    for text in gettext_texts(lang, held_out):
        for w in word.findall(text.lower()):
            out.update(trigrams(w.strip("'")))
    mass = sum(out.values())
    if mass > GETTEXT_MASS:
        out = Counter({g: c * GETTEXT_MASS / mass for g, c in out.items()})
    return out


def _packages() -> str:
    """'package=version' for every package whose catalogs were read (for the table header)."""
    files = sorted({str(p) for loc in GETTEXT.values() for p in _catalogs(loc or "ru")})
    owners = subprocess.run(["dpkg", "-S", *files], capture_output=True, text=True).stdout
    names = sorted({line.split(":")[0] for line in owners.splitlines() if ":" in line})
    versions = subprocess.run(["dpkg-query", "-W", "-f", "${Package}=${Version} ", *names], capture_output=True,
                              text=True).stdout.split()
    return " ".join(versions)


def _git_json(repo: Path, commit: str, path: str) -> dict:
    out = subprocess.run(["git", "-C", str(repo), "show", f"{commit}:{path}"], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)


def _tune_key(key: str) -> bool:
    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2 == 0


def texts(ublock: Path, kuma: Path, sources: tuple[str, str | None]) -> list[str]:
    """Every training string for one language."""
    locale, kuma_file = sources
    held_out = _held_out_texts()
    out = [v["message"] for v in _git_json(ublock, UBLOCK, f"src/_locales/{locale}/messages.json").values()
           if _letters(v["message"]) not in held_out]
    if kuma_file:
        table = _git_json(kuma, KUMA, f"src/lang/{kuma_file}.json")
        out += [v for k, v in table.items() if isinstance(v, str) and _tune_key(k) and _letters(v) not in held_out]
    return out


def trigrams(word: str) -> list[str]:
    """Letter trigrams of one lower-case word with edge marks: 'мая' -> ^ма, мая, ая$."""
    padded = f"^{word}$"
    return [padded[i:i + 3] for i in range(len(padded) - 2)]


def build(name: str, ublock: Path, kuma: Path, use_gettext: bool = True) -> None:
    """Count trigrams for one model and write its file."""
    langs, pattern = MODELS[name]
    word = re.compile(pattern)
    held_out = _held_out_texts()
    counts = {lang: Counter() for lang in langs}
    for lang, sources in langs.items():
        for text in texts(ublock, kuma, sources):
            for w in word.findall(text.lower()):
                counts[lang].update(trigrams(w.strip("'")))
        if lang in WORDFREQ:
            counts[lang].update(_wordfreq_counts(lang, word))
        if use_gettext:
            counts[lang].update(_gettext_counts(lang, word, held_out))
    grams = sorted(g for g in set().union(*counts.values())
                   if sum(round(c[g]) for c in counts.values()) >= MIN_COUNT)
    rows = [[round(counts[lang][g]) for lang in langs] for g in grams]
    lines = [
        f"# Letter-trigram counts per {name} language; built by make_trigram_models.py (see its docstring",
        "# for the sources and commits). Columns: trigram, then counts for " + " ".join(langs) + ".",
        *(["# gettext catalogs from Debian packages: " + _packages()] if use_gettext else []),
        "# totals " + " ".join(str(sum(r[i] for r in rows)) for i in range(len(langs))),
    ]
    lines += [g + "\t" + "\t".join(map(str, r)) for g, r in zip(grams, rows, strict=True)]
    (Path(__file__).resolve().parent / f"{name}_trigrams.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


# model -> (vocabulary of the supported language, of each other language, minimum count of a training-text
# word for another language, the letters a listed word may have)
WORD_TABLES = {
    "cyrillic": (100000, 30000, 1, re.compile("[а-яё]+")),
    "latin": (100000, 5000, 3, re.compile("[a-z]{2,}")),
}


def build_words(name: str, ublock: Path, kuma: Path) -> None:
    """Write <name>_words.txt: the other languages' words that the supported one (ru or en) does not use."""
    from wordfreq import top_n_list

    langs, pattern = MODELS[name]
    supported_size, other_size, min_count, spelling = WORD_TABLES[name]
    ref, script, full = ("ru", "Cyrillic", "Russian") if name == "cyrillic" else ("en", "Latin-script", "English")
    word, held_out = re.compile(pattern), _held_out_texts()
    vocab: dict[str, set[str]] = {}
    for lang, sources in langs.items():
        counts = Counter(w.strip("'") for text in texts(ublock, kuma, sources) + gettext_texts(lang, held_out)
                         for w in word.findall(text.lower()))
        words = {w for w, c in counts.items() if lang == ref or c >= min_count}
        if lang in WORDFREQ:
            top = supported_size if lang == ref else other_size
            words.update(w for w in top_n_list(lang, top) if word.fullmatch(w))
        vocab[lang] = words
    by_langs: dict[str, list[str]] = {}
    for w in sorted(set().union(*(v for k, v in vocab.items() if k != ref)) - vocab[ref]):
        if spelling.fullmatch(w):
            by_langs.setdefault(" ".join(k for k in langs if k != ref and w in vocab[k]), []).append(w)
    lines = [
        f"# Words other {script} languages use and {full} does not, spelt only with letters {full} has;",
        "# built by make_trigram_models.py (see its docstring for the sources). One section per set of",
        "# languages that use the word: [uk bg] then its words, space-separated.",
    ]
    for key in sorted(by_langs):
        lines.append(f"[{key}]")
        ws = by_langs[key]
        lines += [" ".join(ws[i:i + 20]) for i in range(0, len(ws), 20)]
    (Path(__file__).resolve().parent / f"{name}_words.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    ublock, kuma = Path(sys.argv[1]), Path(sys.argv[2])
    for name in MODELS:
        build(name, ublock, kuma, use_gettext="--no-gettext" not in sys.argv)
        build_words(name, ublock, kuma)


if __name__ == "__main__":
    main()
