"""The cheap script count: an ASCII text takes the short path, and it agrees with the full count."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from escalation_kit.language.script import script_language


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=200))
def test_ascii_text_is_english_exactly_when_a_letter_survives_code_removal(text: str) -> None:
    result = script_language(text)  # ASCII: the short path
    full = script_language(text + "\u00a0")  # one non-ASCII space forces the full count and adds no letter
    assert result == full and result in ("en", "unknown")


def test_scripts_still_decide_mixed_text() -> None:
    assert script_language("Сервер недоступен, API returns 502") == "ru"
    assert script_language("控制台无法登录 console login fails") == "zh"
    assert script_language("```print('x')``` https://example.com") == "unknown"
