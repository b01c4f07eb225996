"""Build tests/data/language_short_{tune,holdout}.txt: real short texts from a monitoring tool's UI.

Source: the translations of Uptime Kuma (a self-hosted uptime monitor), src/lang/*.json at commit
6398a9581d1c3c427a7536559f47ccf45dac08b4 - real strings written by people, about monitors, outages,
notifications and certificates. Every language translates the same keys, so a key is put in one split
only (by a hash of the key): the held-out split shares no message with the tuning split.

Kept: 3-15 words (placeholders such as {0} are not words), no HTML, no plural-form lists
("ден | денови"), mostly letters of the language's script, and not a copy of the Russian or English
string for the same key (an untranslated or identical string says nothing about the language).

    python tests/data/language_make_short.py /path/to/uptime-kuma   # a git checkout or bare mirror
    python tests/data/language_make_short.py /path/to/AdGuardHome --fresh
    python tests/data/language_make_short.py /path/to/jellyfin-web --fourth

--fresh builds language_short_fresh.txt from a second project the detector never saw in training or
tuning: AdGuard Home's UI translations (client/src/__locales/*.json at commit
75e43ab5b251aa5038ebc857595855c5b168b93d), a DNS server's settings and query-log texts. It is scored
once the detector's settings are frozen, and reported as such.

--third builds language_short_third.txt the same way from Cachet, an open-source status page
(resources/lang/<locale>/*.php at commit d4666993247dc6d776c957b3695e1b981663180b): incident, component
and subscriber texts. It was built after the last change to the detector and scored once.

--fourth builds language_short_fourth.txt the same way from Jellyfin's web client, a self-hosted media
server (src/strings/<locale>.json at commit f330b7bc8b6fc9c0d937659919fa82a9564e2ec0): server settings,
transcoding, network, user and task texts. It was built before the s11 detector changes, scored once
on the detector as it stood, and once more at the end; no text of it is in any other set (the builder
drops a text whose letters match any text of the other short sets or the labelled sets).
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

COMMIT = "6398a9581d1c3c427a7536559f47ccf45dac08b4"
URL = f"https://github.com/louislam/uptime-kuma/blob/{COMMIT}/src/lang/{{file}}.json"
# file -> (label, kind, how many per split)
LANGS = {
    "ru-RU": ("ru", "short", 80), "en": ("en", "short", 80), "zh-CN": ("zh", "short", 50),
    "zh-TW": ("zh", "short", 30), "uk-UA": ("unknown", "other_cyrillic", 80),
    "be": ("unknown", "other_cyrillic", 80), "bg-BG": ("unknown", "other_cyrillic", 40),
    "sr": ("unknown", "other_cyrillic", 40), "mk": ("unknown", "other_cyrillic", 20),
    **{f: ("unknown", "other_latin", 12) for f in (
        "de-DE", "es-ES", "fr-FR", "it-IT", "pt-BR", "pl", "nl-NL", "tr-TR", "id-ID", "sv-SE", "cs-CZ", "ro")},
}
FRESH_COMMIT = "75e43ab5b251aa5038ebc857595855c5b168b93d"
FRESH_URL = f"https://github.com/AdguardTeam/AdGuardHome/blob/{FRESH_COMMIT}/client/src/__locales/{{file}}.json"
FRESH = {
    "ru": ("ru", "short", 80), "en": ("en", "short", 80), "zh-cn": ("zh", "short", 50), "zh-tw": ("zh", "short", 30),
    "uk": ("unknown", "other_cyrillic", 80), "be": ("unknown", "other_cyrillic", 80),
    "bg": ("unknown", "other_cyrillic", 60),
    **{f: ("unknown", "other_latin", 12) for f in (
        "de", "es", "fr", "it", "pt-br", "pl", "nl", "tr", "id", "sv", "cs", "ro", "sr-cs")},
}
THIRD_COMMIT = "d4666993247dc6d776c957b3695e1b981663180b"
THIRD_URL = f"https://github.com/cachethq/cachet/blob/{THIRD_COMMIT}/resources/lang/{{file}}"
THIRD = {
    "ru-RU": ("ru", "short", 80), "en": ("en", "short", 80), "zh-CN": ("zh", "short", 50), "zh-TW": ("zh", "short", 30),
    "uk": ("unknown", "other_cyrillic", 80), "mn-MN": ("unknown", "other_cyrillic", 40),
    **{f: ("unknown", "other_latin", 12) for f in (
        "de-DE", "es-ES", "fr-FR", "it-IT", "pt-BR", "pl-PL", "nl-NL", "tr-TR", "id-ID", "sv-SE", "cs-CZ", "ro-RO")},
}
FOURTH_COMMIT = "f330b7bc8b6fc9c0d937659919fa82a9564e2ec0"
FOURTH_URL = f"https://github.com/jellyfin/jellyfin-web/blob/{FOURTH_COMMIT}/src/strings/{{file}}.json"
FOURTH = {
    "ru": ("ru", "short", 80), "en-us": ("en", "short", 80), "zh-cn": ("zh", "short", 50),
    "zh-tw": ("zh", "short", 30), "uk": ("unknown", "other_cyrillic", 80),
    "be-by": ("unknown", "other_cyrillic", 80), "bg-bg": ("unknown", "other_cyrillic", 40),
    "sr": ("unknown", "other_cyrillic", 40), "mk": ("unknown", "other_cyrillic", 20),
    **{f: ("unknown", "other_latin", 12) for f in (
        "de", "es", "fr", "it", "pt-br", "pl", "nl", "tr", "id", "sv", "cs", "ro")},
}
_PHP_PAIR = re.compile(r"""^\s*'?([\w.-]+)'?\s*=>\s*'((?:[^'\\]|\\.)*)'""", re.M)
CYRILLIC, LATIN, HAN = re.compile("[\u0400-\u04ff]"), re.compile("[A-Za-z\u00c0-\u024f]"), re.compile("[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
HEADER = """# Real short texts for detect_language: the {split} split (see language_make_short.py).
# Labels: ru, en, zh as written; every other language is unknown (answer by the fallback rule).
# Source of every case: Uptime Kuma's translation file named in the header, key in the id.
"""


def _read(repo: Path, name: str) -> dict[str, str]:
    raw = subprocess.run(["git", "-C", str(repo), "show", f"{COMMIT}:src/lang/{name}.json"],
                         check=True, capture_output=True, text=True).stdout
    return {k: v for k, v in json.loads(raw).items() if isinstance(v, str)}


def _script_ok(text: str, name: str) -> bool:
    cyr, lat, han = (len(p.findall(text)) for p in (CYRILLIC, LATIN, HAN))
    if name.startswith("zh"):
        return han >= 2 and han > lat
    if _LANGS[name][1] == "other_cyrillic" or name in ("ru-RU", "ru"):
        return cyr > 2 * lat
    return lat > 0 and cyr == 0 and han == 0


def _keep(key: str, text: str, name: str, ru: dict[str, str], en: dict[str, str]) -> bool:
    words = len(PLACEHOLDER.sub(" ", text).split())  # "{0}" and "{username}" are not words
    if name.startswith("zh"):
        words = len(HAN.findall(text)) // 2
    if not 3 <= words <= 15 or "<" in text or "\n" in text or " | " in text or not _script_ok(text, name):
        return False
    return name in ("ru-RU", "ru", "en", "en-us") or (text != ru.get(key) and text != en.get(key))


def _split(key: str) -> str:
    return "holdout" if int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2 else "tune"


def build(repo: Path) -> dict[str, list[str]]:
    ru, en = _read(repo, "ru-RU"), _read(repo, "en")
    out: dict[str, list[str]] = {"tune": [], "holdout": []}
    for name, (label, kind, per_split) in LANGS.items():
        table = _read(repo, name)
        kept = sorted((k for k, v in table.items() if _keep(k, v.strip(), name, ru, en)),
                      key=lambda k: hashlib.sha1(f"{name}:{k}".encode()).hexdigest())
        for split in out:
            chosen = [k for k in kept if _split(k) == split][:per_split]
            for key in chosen:
                slug = re.sub(r"[^A-Za-z0-9]+", "-", key).strip("-")[:40]
                out[split].append(f"=== {name}-{slug} | {kind} | {label} | {URL.format(file=name)}#{key}")
                out[split].append(table[key].strip())
    return out


_LANGS = dict(LANGS)


def _read_fresh(repo: Path, name: str) -> dict[str, str]:
    raw = subprocess.run(["git", "-C", str(repo), "show", f"{FRESH_COMMIT}:client/src/__locales/{name}.json"],
                         check=True, capture_output=True, text=True).stdout
    return {k: v for k, v in json.loads(raw).items() if isinstance(v, str)}


def build_fresh(repo: Path) -> list[str]:
    """The fresh set: every key may be used (nothing from this project was trained or tuned on)."""
    _LANGS.update(FRESH)
    ru, en = _read_fresh(repo, "ru"), _read_fresh(repo, "en")
    out: list[str] = []
    for name, (label, kind, count) in FRESH.items():
        table = _read_fresh(repo, name)
        kept = sorted((k for k, v in table.items() if _keep(k, v.strip(), name, ru, en)),
                      key=lambda k: hashlib.sha1(f"{name}:{k}".encode()).hexdigest())[:count]
        for key in kept:
            slug = re.sub(r"[^A-Za-z0-9]+", "-", key).strip("-")[:40]
            out.append(f"=== {name}-{slug} | {kind} | {label} | {FRESH_URL.format(file=name)}#{key}")
            out.append(table[key].strip())
    return out


def _read_third(repo: Path, name: str) -> dict[str, str]:
    """Every 'key' => 'text' pair of a Cachet locale, keyed file/key (numbered keys get the line's order)."""
    files = subprocess.run(["git", "-C", str(repo), "ls-tree", "--name-only", THIRD_COMMIT, f"resources/lang/{name}/"],
                           check=True, capture_output=True, text=True).stdout.split()
    out: dict[str, str] = {}
    for path in files:
        text = subprocess.run(["git", "-C", str(repo), "show", f"{THIRD_COMMIT}:{path}"], check=True,
                              capture_output=True, text=True).stdout
        for i, (key, value) in enumerate(_PHP_PAIR.findall(text)):
            out[f"{Path(path).name}/{key}/{i}"] = value.replace("\\'", "'")
    return out


def build_third(repo: Path) -> list[str]:
    """The third set, from Cachet's translations."""
    _LANGS.update(THIRD)
    ru, en = _read_third(repo, "ru-RU"), _read_third(repo, "en")
    out: list[str] = []
    for name, (label, kind, count) in THIRD.items():
        table = _read_third(repo, name)
        kept = sorted((k for k, v in table.items() if _keep(k, v.strip(), name, ru, en)),
                      key=lambda k: hashlib.sha1(f"{name}:{k}".encode()).hexdigest())[:count]
        for key in kept:
            file, item = key.split("/")[0], key.split("/")[1]
            slug = re.sub(r"[^A-Za-z0-9]+", "-", key).strip("-")[:40]
            out.append(f"=== {name}-{slug} | {kind} | {label} | {THIRD_URL.format(file=f'{name}/{file}')}#{item}")
            out.append(table[key].strip())
    return out


def _read_fourth(repo: Path, name: str) -> dict[str, str]:
    raw = subprocess.run(["git", "-C", str(repo), "show", f"{FOURTH_COMMIT}:src/strings/{name}.json"],
                         check=True, capture_output=True, text=True).stdout
    return {k: v for k, v in json.loads(raw).items() if isinstance(v, str)}


def _letters(text: str) -> str:
    """The text's letters only, case-folded: two texts with the same letters are the same text."""
    return "".join(c for c in text.casefold() if c.isalpha())


def _texts_elsewhere(here: Path) -> set[str]:
    """The letters of every text in the other language sets (the fourth set must share none)."""
    seen: set[str] = set()
    for path in [*here.glob("language_short_*.txt"), here / "language_cases.txt", here / "language_holdout.txt"]:
        if path.name == "language_short_fourth.txt":
            continue
        body: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines() + ["=== end"]:
            if line.startswith("=== "):
                if body:
                    seen.add(_letters("\n".join(body)))
                body = []
            elif not line.startswith("#"):
                body.append(line)
    return seen


def build_fourth(repo: Path, here: Path) -> list[str]:
    """The fourth set, from Jellyfin's web client; texts found in any other set are left out."""
    _LANGS.update(FOURTH)
    ru, en, elsewhere = _read_fourth(repo, "ru"), _read_fourth(repo, "en-us"), _texts_elsewhere(here)
    out: list[str] = []
    for name, (label, kind, count) in FOURTH.items():
        table = _read_fourth(repo, name)
        kept = sorted((k for k, v in table.items() if _keep(k, v.strip(), name, ru, en)
                       and _letters(v.strip()) not in elsewhere),
                      key=lambda k: hashlib.sha1(f"{name}:{k}".encode()).hexdigest())[:count]
        for key in kept:
            slug = re.sub(r"[^A-Za-z0-9]+", "-", key).strip("-")[:40]
            out.append(f"=== {name}-{slug} | {kind} | {label} | {FOURTH_URL.format(file=name)}#{key}")
            out.append(table[key].strip())
    return out


def main() -> None:
    repo = Path(sys.argv[1])
    here = Path(__file__).resolve().parent
    if "--fourth" in sys.argv:
        header = HEADER.format(split="fourth (Jellyfin, held out)").replace("Uptime Kuma", "Jellyfin")
        (here / "language_short_fourth.txt").write_text(header + "\n".join(build_fourth(repo, here)) + "\n",
                                                        encoding="utf-8")
        return
    if "--third" in sys.argv:
        header = HEADER.format(split="third (Cachet, scored once)").replace("Uptime Kuma", "Cachet")
        (here / "language_short_third.txt").write_text(header + "\n".join(build_third(repo)) + "\n", encoding="utf-8")
        return
    if "--fresh" in sys.argv:
        header = HEADER.format(split="fresh (second project, scored once)").replace("Uptime Kuma", "AdGuard Home")
        (here / "language_short_fresh.txt").write_text(header + "\n".join(build_fresh(repo)) + "\n", encoding="utf-8")
        return
    for split, lines in build(repo).items():
        (here / f"language_short_{split}.txt").write_text(HEADER.format(split=split) + "\n".join(lines) + "\n",
                                                          encoding="utf-8")


if __name__ == "__main__":
    main()
