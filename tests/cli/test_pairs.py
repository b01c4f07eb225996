"""NAME=NUMBER flag values, shared by track metrics --tickets, track health --category and route --health."""

from __future__ import annotations

import pytest

from escalation_kit.cli._pairs import named_numbers
from escalation_kit.errors import InputError


def test_numbers_and_counts_are_read_by_name() -> None:
    assert named_numbers(["a=1.5", " b = 2"], "--x", "NAME=SCORE") == {"a": 1.5, "b": 2.0}
    assert named_numbers(["auth=120"], "--tickets", "CATEGORY=COUNT", whole=True) == {"auth": 120}
    assert named_numbers(None, "--x", "NAME=SCORE") == {}


@pytest.mark.parametrize(("item", "whole"), [("a=x", False), ("a=nan", False), ("=3", False), ("a", False),
                                              ("a=1.5", True), ("a=-1", True)])
def test_a_bad_item_is_refused_naming_the_flag(item: str, whole: bool) -> None:
    with pytest.raises(InputError, match="is not NAME=N") as err:
        named_numbers([item], "--flag", "NAME=N", whole=whole)
    assert err.value.field == "--flag"
