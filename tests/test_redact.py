"""The redactor: accuracy targets on the labelled set, the Luhn gate, and reports that never echo a secret."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escalation_kit.redact import CHECKS, Redactor, _config, find_secrets, luhn_ok, patterns, redact_text

ROOT = Path(__file__).resolve().parent.parent


def _bench():
    spec = importlib.util.spec_from_file_location("bench_redaction", ROOT / "benchmarks" / "redaction.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return _bench()


@pytest.mark.parametrize("name", ["redaction_labelled.yaml", "redaction_holdout.yaml"])
def test_labelled_sets_meet_recall_and_precision_targets(bench, name):
    items = bench.load_items(ROOT / "tests" / "data" / name)
    result = bench.evaluate(items)
    assert result["recall"] >= bench.RECALL_TARGET, result["errors"]
    assert result["precision"] >= bench.PRECISION_TARGET, result["errors"]
    assert result["wrong_kind"] == 0, result["errors"]


def test_labelled_set_is_large_and_has_look_alike_negatives(bench):
    items = bench.load_items()
    negatives = [i["text"] for i in items if not i["secrets"]]
    assert len(items) >= 200
    joined = "\n".join(negatives)
    for look_alike in (
        r"[0-9a-f]{8}-[0-9a-f]{4}-",
        r"\b[0-9a-f]{40}\b",
        r"\d+\.\d+\.\d+",
        r"ORD-",
        r"\d+\.\d+\.\d+\.\d+",
    ):
        assert re.search(look_alike, joined), look_alike


def test_reports_and_masked_text_never_contain_the_secret(bench):
    for item in bench.load_items():
        masked, reports = redact_text(item["text"], "text")
        for secret in item["secrets"]:
            assert secret["value"] not in masked
            assert secret["value"] not in repr(reports)
        assert all(r.field == "text" and r.replacement.startswith("[REDACTED:") for r in reports)


def test_same_secret_gets_same_token_across_fields_and_distinct_secrets_differ():
    r = Redactor()
    a = r.text("mail ops@acme.example now", "a")
    b = r.text("cc ops@acme.example and dev@acme.example", "b")
    assert a == "mail [REDACTED:email#1] now"
    assert b == "cc [REDACTED:email#1] and [REDACTED:email#2]"
    assert [(x.field, x.replacement) for x in r.redactions] == [
        ("a", "[REDACTED:email#1]"),
        ("b", "[REDACTED:email#1]"),
        ("b", "[REDACTED:email#2]"),
    ]


def test_only_the_secret_group_is_masked_so_context_stays_readable():
    masked, _ = redact_text("postgres://app:Tr0ub4dor@db.internal:5432/main")
    assert masked == "postgres://app:[REDACTED:password#1]@db.internal:5432/main"


def test_pattern_file_is_consistent():
    ids = [p.id for p in patterns()]
    assert len(ids) == len(set(ids))
    for item in _config()["patterns"]:
        assert item.get("check") in (None, *CHECKS), item["id"]
    assert {
        "email",
        "phone",
        "credit_card",
        "aws_access_key_id",
        "aws_secret_key",
        "alibaba_access_key_id",
        "gcp_api_key",
        "private_key",
        "jwt",
        "bearer_token",
        "password",
    } <= {p.kind for p in patterns()}


def _luhn_digit(body: str) -> str:
    return next(d for d in "0123456789" if luhn_ok(body + d))


@settings(max_examples=60, deadline=None)
@given(body=st.text("0123456789", min_size=14, max_size=14), sep=st.sampled_from(["", " ", "-"]))
def test_luhn_valid_visa_numbers_are_masked_and_off_by_one_are_not(body, sep):
    number = "4" + body
    valid = number + _luhn_digit(number)
    invalid = valid[:-1] + str((int(valid[-1]) + 1) % 10)
    fmt = (lambda n: sep.join(n[i : i + 4] for i in range(0, 16, 4))) if sep else (lambda n: n)
    assert [s.kind for s in find_secrets(f"card {fmt(valid)} declined")] == ["credit_card"]
    assert find_secrets(f"card {fmt(invalid)} declined") == []


def test_luhn_reference_numbers():
    assert luhn_ok("4111111111111111") and luhn_ok("79927398713")
    assert not luhn_ok("4111111111111112") and not luhn_ok("79927398710")
