"""Fields left out of an answer only while they hold their default; the schema still lists and types them."""

from __future__ import annotations

from pydantic import BaseModel, Field

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


def _state(model: BaseModel) -> tuple:
    """Everything ``model_construct`` sets on an instance, in order."""
    return (type(model), list(model.__dict__.items()), model.model_fields_set, model.__pydantic_extra__,
            model.__pydantic_private__, repr(model), model.model_dump_json())


class Required(BaseModel):
    name: str
    label: str = "x"
    items: list[int] = unless_empty()
    count: int | None = unless_none()


class Aliased(BaseModel):
    name: str = Field(alias="n")


class WithFactory(BaseModel):
    names: dict[str, str] = Field(default_factory=dict)


def test_construct_builds_what_model_construct_builds() -> None:
    from escalation_kit.lean import construct
    from escalation_kit.sla.models import SlaResult, SlaResultBrief
    from escalation_kit.vendors.models import VendorPathCompact

    cases = [
        (Required, {"name": "a"}),  # defaults filled in, field order kept, the fields set is the names given
        (Required, {"count": 3, "name": "a", "items": [1]}),
        (Required, {"name": "a", "label": "y", "items": [], "count": None}),
        (Required, {}),  # a required field missing: model_construct's own (lenient) answer
        (Required, {"name": "a", "unknown": 1}),  # an unknown name: model_construct ignores it
        (Aliased, {"n": "a"}),  # aliases: model_construct itself
        (WithFactory, {}),  # another default factory: model_construct itself
        (Sample, {"note": "n"}),
        (SlaResultBrief, {"severity": "P1", "timezone": "UTC", "target_minutes": 5, "clock": "24x7",
                          "target_source": "s", "notes": ["n"]}),
        (SlaResult, {"severity": "P1", "updates": []}),
        (VendorPathCompact, {"vendor": "v", "policy": []}),
    ]
    for cls, values in cases:
        assert _state(construct(cls, **dict(values))) == _state(cls.model_construct(**dict(values))), cls
    first, second = construct(Required, name="a"), construct(Required, name="a")
    assert first.items is not second.items  # each instance gets its own new list
