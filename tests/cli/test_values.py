"""Flag values shared by the commands: NAME=NUMBER pairs and JSON objects."""

from __future__ import annotations

import pytest

from escalation_kit.cli._values import json_object, named_numbers
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


@pytest.mark.parametrize(("text", "wanted"), [("{", "not valid JSON"), ("[1]", "expected a JSON object, got list")])
def test_a_flag_that_is_not_a_json_object_is_refused_by_name(text: str, wanted: str) -> None:
    with pytest.raises(InputError, match=wanted) as err:
        json_object(text, "--facts")
    assert err.value.field == "--facts"
    assert json_object('{"a": 1}', "--facts") == {"a": 1}
