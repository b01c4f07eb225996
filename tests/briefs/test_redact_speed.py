"""Every redaction pattern runs in linear time on long adversarial strings (no catastrophic backtracking).

A quadratic pattern is unmistakable at these sizes: 10x more text costs ~100x more time, and 100 KB
takes seconds (the unbounded URL scheme took 3.2 s, the mysql pattern 11 s). A linear one costs
~10x and a few milliseconds. So a pattern fails only when 100 KB is both over a generous absolute
floor AND over 20x its 10 KB time, on the best of three tries: noise on a shared machine cannot
trip both, a real quadratic blow-up always does.
"""

from __future__ import annotations

import time

import pytest

from escalation_kit.briefs.redact import Redactor, find_secrets, patterns, redact_text

SMALL, LARGE = 10_000, 100_000
FLOOR_SECONDS = 0.25
MAX_RATIO = 20

# Repeating units: runs of each character class the patterns use, and each pattern's own lead-in
# repeated (a match start followed by text that almost, but never, completes it).
UNITS = {
    "a.": "a.",
    "a-": "a-",
    "at": "@",
    "digits": "1",
    "digit-space": "1 ",
    "base64": "aZ09+/",
    "url-ish": "a.b-c+d",
    "mixed": "aA1.-_@:/=",
    "spaces": " \t",
    "scheme": "a://",
    "user-pass": "a://u:p",
    "keyword": "password=",
    "token": "token=",
    "api_key": "api_key: ",
    "mysql": "mysql ",
    "bearer": "bearer ",
    "secret": "secret ",
    "aws": "aws",
    "jwt": "eyJ.",
    "pem": "-----BEGIN PRIVATE KEY-----",
    "sk": "sk-",
    "sk-ant": "sk-ant-api03-",
    "github": "ghp_",
    "slack": "xoxb-",
    "plus-digit": "+1",
    "id-digits": "11010519491231002",
    "snake": "a_",
}


def _text(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size] + "@"


def _best_of(run, text: str, tries: int) -> float:
    best = float("inf")
    for _ in range(tries):
        t0 = time.perf_counter()
        run(text)
        best = min(best, time.perf_counter() - t0)
    return best


def _grows_linearly(run, unit: str) -> tuple[bool, str]:
    small, large = _text(unit, SMALL), _text(unit, LARGE)
    for tries in (1, 3):  # cheap first try; retry best-of-three only if the first looked slow
        t_small, t_large = _best_of(run, small, tries), _best_of(run, large, tries)
        ok = t_large < FLOOR_SECONDS or t_large < MAX_RATIO * t_small
        if ok:
            break
    return ok, f"{unit!r}: 10 KB {t_small * 1e3:.1f} ms, 100 KB {t_large * 1e3:.1f} ms"


@pytest.mark.parametrize("pattern", patterns(), ids=lambda p: p.id)
def test_each_pattern_is_linear_on_adversarial_strings(pattern):
    def run(text: str) -> None:
        for _ in pattern.regex.finditer(text):
            pass

    slow = [msg for ok, msg in (_grows_linearly(run, u) for u in UNITS.values()) if not ok]
    assert not slow, slow


def test_whole_redactor_is_linear_including_checks_and_overlaps():
    slow = [msg for ok, msg in (_grows_linearly(find_secrets, u) for u in UNITS.values()) if not ok]
    assert not slow, slow


def test_many_distinct_secrets_stay_linear():
    """Thousands of matches: the overlap check and the token numbering must not be quadratic."""

    def emails(n: int) -> str:
        return " ".join(f"user{i}@example.com" for i in range(n))

    def run(text: str) -> float:
        t0 = time.perf_counter()
        Redactor().text(text, "description")
        return time.perf_counter() - t0

    small, large = emails(600), emails(6000)
    t_small, t_large = min(run(small) for _ in range(3)), min(run(large) for _ in range(3))
    assert t_large < FLOOR_SECONDS or t_large < MAX_RATIO * t_small, (t_small, t_large)
    masked, reports = redact_text(large)
    assert len(reports) == 6000 and reports[-1].replacement == "[REDACTED:email#6000]"
    assert "@" not in masked
