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

    pip install wordfreq==3.1.1   # build-time only; the detector never imports it
    python references/language/make_trigram_models.py <uBlock mirror> <uptime-kuma mirror>
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from collections import Counter
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


def _git_json(repo: Path, commit: str, path: str) -> dict:
    out = subprocess.run(["git", "-C", str(repo), "show", f"{commit}:{path}"], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)


def _tune_key(key: str) -> bool:
    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2 == 0


def texts(ublock: Path, kuma: Path, sources: tuple[str, str | None]) -> list[str]:
    """Every training string for one language."""
    locale, kuma_file = sources
    out = [v["message"] for v in _git_json(ublock, UBLOCK, f"src/_locales/{locale}/messages.json").values()]
    if kuma_file:
        table = _git_json(kuma, KUMA, f"src/lang/{kuma_file}.json")
        out += [v for k, v in table.items() if isinstance(v, str) and _tune_key(k)]
    return out


def trigrams(word: str) -> list[str]:
    """Letter trigrams of one lower-case word with edge marks: 'мая' -> ^ма, мая, ая$."""
    padded = f"^{word}$"
    return [padded[i:i + 3] for i in range(len(padded) - 2)]


def build(name: str, ublock: Path, kuma: Path) -> None:
    """Count trigrams for one model and write its file."""
    langs, pattern = MODELS[name]
    word = re.compile(pattern)
    counts = {lang: Counter() for lang in langs}
    for lang, sources in langs.items():
        for text in texts(ublock, kuma, sources):
            for w in word.findall(text.lower()):
                counts[lang].update(trigrams(w.strip("'")))
        if lang in WORDFREQ:
            counts[lang].update(_wordfreq_counts(lang, word))
    grams = sorted(g for g in set().union(*counts.values())
                   if sum(round(c[g]) for c in counts.values()) >= MIN_COUNT)
    rows = [[round(counts[lang][g]) for lang in langs] for g in grams]
    lines = [
        f"# Letter-trigram counts per {name} language; built by make_trigram_models.py (see its docstring",
        "# for the sources and commits). Columns: trigram, then counts for " + " ".join(langs) + ".",
        "# totals " + " ".join(str(sum(r[i] for r in rows)) for i in range(len(langs))),
    ]
    lines += [g + "\t" + "\t".join(map(str, r)) for g, r in zip(grams, rows, strict=True)]
    (Path(__file__).resolve().parent / f"{name}_trigrams.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    ublock, kuma = Path(sys.argv[1]), Path(sys.argv[2])
    for name in MODELS:
        build(name, ublock, kuma)


if __name__ == "__main__":
    main()
