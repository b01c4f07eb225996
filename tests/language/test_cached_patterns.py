"""The detector's regexes come from regexcache: each must be exactly the pattern ``re.compile`` builds."""

from __future__ import annotations

import re

import pytest

from escalation_kit.language import score, script, text


@pytest.mark.parametrize("module", [score, script, text], ids=lambda m: m.__name__)
def test_module_patterns_equal_re_compile(module):
    patterns = [value for value in vars(module).values() if isinstance(value, re.Pattern)]
    assert len(patterns) >= 4
    for pattern in patterns:
        # Pattern equality compares flags, source and the compiled code words
        assert pattern == re.compile(pattern.pattern, pattern.flags), pattern.pattern[:60]
