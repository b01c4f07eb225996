"""Fields left out of an answer only while they hold their default; the schema still lists and types them."""

from __future__ import annotations

from pydantic import BaseModel

from escalation_kit.lean import unless_blank, unless_empty, unless_none, unless_true


class Sample(BaseModel):
    count: int | None = unless_none()
    flag: bool = unless_true()
    note: str = unless_blank()
    items: list[int] = unless_empty()
    extra: dict[str, str] = unless_empty()


def test_defaults_are_left_out_and_every_other_value_kept() -> None:
    assert Sample().model_dump(mode="json") == {}
    kept = Sample(count=0, flag=True, note=" ", items=[0], extra={"a": ""})
    assert kept.model_dump(mode="json") == {"count": 0, "flag": True, "note": " ", "items": [0], "extra": {"a": ""}}
    assert Sample.model_validate(kept.model_dump(mode="json")) == kept
    assert Sample.model_validate_json(Sample().model_dump_json()) == Sample()


def test_the_schema_still_lists_every_field_with_its_type() -> None:
    props = Sample.model_json_schema(mode="serialization")["properties"]
    assert set(props) == {"count", "flag", "note", "items", "extra"}
    assert props["flag"]["type"] == "boolean" and props["items"]["items"] == {"type": "integer"}
    assert "required" not in Sample.model_json_schema(mode="serialization")
