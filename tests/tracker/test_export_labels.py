"""The tracking document's timeline wording is data: every event kind reads in every language."""

from __future__ import annotations

from escalation_kit.tracker.export import labels
from escalation_kit.tracker.models import EVENT_KINDS
from escalation_kit.vocab import LANGS


def test_every_event_kind_has_a_timeline_line_in_every_language() -> None:
    table = labels()
    assert set(table) == set(LANGS)
    for lang in LANGS:
        missing = set(EVENT_KINDS) - set(table[lang])
        assert not missing, (lang, sorted(missing))
        assert "{tier}" in table[lang]["level"] and "{exec}" in table[lang]["level"]


def test_payload_fields_are_the_same_in_every_language() -> None:
    import string

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    table = labels()
    assert EVENT_KINDS
    for kind in EVENT_KINDS:
        assert fields(table["ru"][kind]) == fields(table["en"][kind]) == fields(table["zh"][kind]), kind
