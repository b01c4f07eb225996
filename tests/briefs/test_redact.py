"""The redactor: accuracy targets on the labelled set, the Luhn gate, and reports that never echo a secret."""

from __future__ import annotations

import importlib.util
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escalation_kit.briefs.redact import (
    CHECKS,
    Redactor,
    _config,
    cn_id_check_char,
    find_secrets,
    luhn_ok,
    patterns,
    redact_text,
)

ROOT = Path(__file__).resolve().parents[2]


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
    assert bench.load_items(), "nothing to check"
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
        "anthropic_api_key",
        "openai_api_key",
        "github_token",
        "slack_token",
        "api_key",
        "cn_resident_id",
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


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Password: hunter2.", "Password: [REDACTED:password#1]."),
        ("The root password is Tr0ub4dor#3!", "The root password is [REDACTED:password#1]!"),
        ("密码：Qw3rty2026。", "密码：[REDACTED:password#1]。"),
        ("密码：abc12345，请修改", "密码：[REDACTED:password#1]，请修改"),
        ("(pwd=S3cret)", "(pwd=[REDACTED:password#1])"),
        ("mysql -u root -pS3cret.", "mysql -u root -p[REDACTED:password#1]."),
        ("Authorization: Bearer abcdefghijklmnop123.", "Authorization: Bearer [REDACTED:bearer_token#1]."),
        ("token=a1b2c3d4e5f6g7h8i9j0.", "token=[REDACTED:api_key#1]."),
    ],
)
def test_secrets_stop_before_sentence_punctuation(text, masked):
    assert redact_text(text)[0] == masked


def test_a_password_may_keep_inner_punctuation():
    assert redact_text("password=Pa.ss!w0rd; next")[0] == "password=[REDACTED:password#1]; next"


def test_prose_after_password_is_is_not_a_secret():
    assert find_secrets("the password is required.") == []
    assert [s.kind for s in find_secrets("the password is hunter2")] == ["password"]


def test_id_check_character_matches_the_published_example():
    # GB 11643 worked example: 11010519491231002 -> check character X
    assert cn_id_check_char("11010519491231002") == "X"


@settings(max_examples=60, deadline=None)
@given(
    area=st.integers(110000, 659999),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
    seq=st.integers(0, 999),
)
def test_resident_ids_are_masked_only_with_the_right_check_character(area, birth, seq):
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    good = body + cn_id_check_char(body)
    assert [s.kind for s in find_secrets(f"身份证 {good} 已核验")] == ["cn_resident_id"]
    for wrong in set("0123456789X") - {good[-1]}:
        assert not any(s.kind == "cn_resident_id" for s in find_secrets(f"订单 {body}{wrong} 已退款"))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("key sk-ant-api03-" + "Ab3_x9Kq" * 12 + "AA", "anthropic_api_key"),
        ("Bearer sk-proj-" + "Zt8mQ4wX-Lp0_" * 10, "openai_api_key"),
        ("ghs_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "github_token"),
        ("github_pat_11ABCDEFG0abcdefghijkl_" + "MnOpQrStUvWxYz0123456789" * 3, "github_token"),
        ("xoxb-2048-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "slack_token"),
        ("apikey: 9f8e7d6c5b4a39281706f5e4", "api_key"),
    ],
)
def test_each_token_format_gets_its_own_kind(text, kind):
    assert [s.kind for s in find_secrets(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "we use sk-learn and sk-payment-service-deployment-rollout-2026",
        "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "apikey: YOUR_API_KEY_HERE",
        "api_key=${OPENAI_API_KEY}",
        "token_count: 4096",
        "xoxo-hugs-from-the-support-team",
    ],
)
def test_token_look_alikes_are_left_alone(text):
    assert find_secrets(text) == []
