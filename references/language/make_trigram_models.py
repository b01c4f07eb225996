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
    grams = sorted(g for g in set().union(*counts.values()) if sum(c[g] for c in counts.values()) >= MIN_COUNT)
    lines = [
        f"# Letter-trigram counts per {name} language; built by make_trigram_models.py (see its docstring",
        "# for the sources and commits). Columns: trigram, then counts for " + " ".join(langs) + ".",
    ]
    lines += [g + "\t" + "\t".join(str(counts[lang][g]) for lang in langs) for g in grams]
    (Path(__file__).resolve().parent / f"{name}_trigrams.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    ublock, kuma = Path(sys.argv[1]), Path(sys.argv[2])
    for name in MODELS:
        build(name, ublock, kuma)


if __name__ == "__main__":
    main()
