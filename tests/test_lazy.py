"""Lazy package attributes: imported on first use, stored once, unknown names refused by name."""

from __future__ import annotations

import pytest

from escalation_kit import lazy


def test_a_submodule_name_is_imported_once_and_stored() -> None:
    namespace: dict = {}
    getter = lazy.attributes("escalation_kit", {"quote": "errors", "SEVERITIES": "escalation_kit.vocab"}, namespace)
    from escalation_kit.errors import quote
    from escalation_kit.vocab import SEVERITIES

    assert getter("quote") is quote and namespace["quote"] is quote
    assert getter("SEVERITIES") == SEVERITIES  # a dotted module is taken as absolute


def test_an_unknown_name_is_an_attribute_error_naming_the_package() -> None:
    getter = lazy.attributes("escalation_kit.sla", {}, {})
    with pytest.raises(AttributeError, match="escalation_kit.sla.*nope"):
        getter("nope")
