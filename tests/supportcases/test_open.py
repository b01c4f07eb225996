"""cases open: a dry run by default that prints the exact request, --send opens the case and links it to the record."""

from __future__ import annotations

import json

import pytest

from escalation_kit.cli import main
from escalation_kit.vendors import pick_vendor_support_path
from supportcases_support import AKID, SECRETS, SUBSCRIPTION, VENDOR_FLAGS, open_record

SEVERITY_FIELD = {"aws": ("severityCode",), "azure": ("properties", "severity"), "gcp": ("priority",)}


def field(body: dict, path: tuple[str, ...]) -> object:
    for key in path:
        body = body[key]
    return body


def kinds(tracker, esc_id: str) -> list[str]:
    return [e.kind for e in tracker.events(esc_id)]


@pytest.mark.parametrize("vendor", ["aws", "azure", "gcp"])
def test_dry_run_is_the_default_and_prints_the_request_without_sending(tracker, vendors, capsys, vendor):
    esc = open_record(tracker, vendor)
    assert main(["cases", "open", esc, "--vendor", vendor, *VENDOR_FLAGS[vendor]]) == 0
    out, err = capsys.readouterr()
    shown = json.loads(out)
    expected = pick_vendor_support_path(vendor, "P1", tracker.get(esc).state.plan).case_severity.api_code
    assert shown["dry_run"] is True and shown["case_severity"]["code"] == expected
    assert field(shown["request"]["body"], SEVERITY_FIELD[vendor]) == expected
    assert shown["request"]["url"].startswith(vendors.url)
    assert esc in json.dumps(shown["request"]["body"])  # the case names the incident record
    assert "***" in shown["request"]["headers"]["Authorization"]
    assert not any(s in out + err for s in SECRETS) and "--send" in err
    assert vendors.calls == [] and kinds(tracker, esc) == ["created"]


@pytest.mark.parametrize("vendor", ["aws", "azure", "gcp"])
def test_send_opens_the_case_exactly_as_the_dry_run_showed_and_records_its_id(tracker, vendors, capsys, vendor):
    esc = open_record(tracker, vendor)
    argv = ["cases", "open", esc, "--vendor", vendor, *VENDOR_FLAGS[vendor]]
    assert main(argv) == 0
    dry = json.loads(capsys.readouterr().out)["request"]
    assert main([*argv, "--send"]) == 0
    out, err = capsys.readouterr()
    sent = vendors.ops(f"{vendor}.create")
    assert len(sent) == 1 and vendors.problems() == []
    assert sent[0].body == dry["body"]  # the dry run printed what --send sent
    answer = json.loads(out)
    state = tracker.get(esc).state
    assert state.vendor_case_id == answer["case_id"] and state.vendor_case_id in vendors.statuses
    assert state.vendor_case_severity == field(dry["body"], SEVERITY_FIELD[vendor])
    filed = tracker.events(esc)[-1]
    assert filed.kind == "vendor_case_filed" and filed.actor == "supportcases"
    assert filed.payload["vendor"] == vendor and filed.payload["case_id"] == answer["case_id"]
    assert tracker.verify(esc)["ok"]  # the hash chain and the replayed state hold with the new event
    assert not any(s in out + err for s in SECRETS)


def test_the_aws_request_is_sigv4_signed_by_botocore(tracker, vendors, capsys):
    esc = open_record(tracker, "aws")
    assert main(["cases", "open", esc, "--vendor", "aws", "--send"]) == 0
    call = vendors.ops("aws.create")[0]
    assert call.headers["Authorization"].startswith(f"AWS4-HMAC-SHA256 Credential={AKID}/")
    assert call.headers["X-Amz-Target"] == "AWSSupport_20130415.CreateCase"
    assert vendors.problems() == []  # the stand-in recomputed the signature with the secret and it matched
    assert call.body["severityCode"] == "urgent" and "serviceCode" not in call.body


def test_azure_case_id_is_the_ticket_resource_named_after_the_record(tracker, vendors, capsys):
    esc = open_record(tracker, "azure")
    assert main(["cases", "open", esc, *VENDOR_FLAGS["azure"], "--send"]) == 0
    case_id = tracker.get(esc).state.vendor_case_id
    assert case_id == (f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Support/supportTickets/"
                       f"escalation-kit-{esc}-1")
    body = vendors.ops("azure.create")[0].body["properties"]
    assert body["contactDetails"]["preferredSupportLanguage"] == "en-us"
    assert body["advancedDiagnosticConsent"] == "No"


def test_a_vendor_alias_on_the_command_line_is_the_catalog_vendor(tracker, vendors, capsys):
    esc = open_record(tracker, "aws")
    assert main(["cases", "open", esc, "--vendor", "Amazon"]) == 0
    assert json.loads(capsys.readouterr().out)["vendor"] == "aws" and vendors.calls == []


def test_a_long_title_is_shortened_but_the_subject_keeps_the_record_id(tracker, vendors, capsys):
    esc = open_record(tracker, "gcp", title="Checkout " + "very " * 50 + "slow")
    assert main(["cases", "open", esc, *VENDOR_FLAGS["gcp"]]) == 0
    subject = json.loads(capsys.readouterr().out)["request"]["body"]["displayName"]
    assert len(subject) <= 200 and subject.endswith(f"… ({esc})") and subject.startswith("[P1] Checkout very")


def test_a_russian_record_is_filed_in_the_languages_the_policy_maps(tracker, vendors, capsys):
    esc = open_record(tracker, "gcp", language="ru")
    assert main(["cases", "open", esc, *VENDOR_FLAGS["gcp"], "--send"]) == 0
    assert vendors.ops("gcp.create")[0].body["languageCode"] == "ru"


ERRORS = [(401, 2, "rejected the credentials"), (503, 1, "HTTP 503"), ("timeout", 1, "did not answer"),
          ("badjson", 1, "not JSON")]


@pytest.mark.parametrize("vendor", ["aws", "azure", "gcp"])
@pytest.mark.parametrize(("mode", "code", "words"), ERRORS)
def test_a_failed_call_names_the_api_and_host_and_records_nothing(tracker, vendors, capsys, vendor, mode, code,
                                                                   words):
    esc = open_record(tracker, vendor)
    vendors.fail[f"{vendor}.create"] = [mode]
    argv = ["cases", "open", esc, *VENDOR_FLAGS[vendor], "--send", "--timeout", "0.5"]
    assert main(argv) == code
    out, err = capsys.readouterr()
    if vendor == "aws" and mode == "badjson":
        words = "without a caseId"  # botocore reads a 200 with a broken body as an empty answer
    assert words in err and "127.0.0.1" in err and "nothing recorded" in err, err
    assert not any(s in out + err for s in SECRETS)
    assert kinds(tracker, esc) == ["created"] and tracker.get(esc).state.vendor_case_id is None


def test_a_second_case_while_one_is_open_is_refused_before_sending(tracker, vendors, capsys):
    esc = open_record(tracker, "gcp")
    assert main(["cases", "open", esc, *VENDOR_FLAGS["gcp"], "--send"]) == 0
    capsys.readouterr()
    assert main(["cases", "open", esc, *VENDOR_FLAGS["gcp"], "--send"]) == 2
    assert "already has an open vendor case" in capsys.readouterr().err
    assert len(vendors.ops("gcp.create")) == 1


AZURE = {"vendor": "azure", "plan": "premier"}


@pytest.mark.parametrize(("setup", "argv", "words"), [
    (None, ["ESC-2026-0999"], "no escalation"),
    ({"vendor": "oci", "plan": None}, [], "has no support API integration"),
    ({"vendor": "aws", "plan": "basic"}, [], "offers no case"),
    ({"vendor": "azure", "plan": "standard"}, [], "cannot open Microsoft Azure cases through the API"),
    ({"vendor": "aws"}, ["--vendor", "gcp"], "is about vendor 'aws'"),
    ({"vendor": None}, ["--vendor", "nope"], "'nope' has no support API integration"),
    ({"vendor": None}, [], "--vendor: "),
    (AZURE, ["--service-id", "x"], "--problem-classification"),
    (AZURE, [*VENDOR_FLAGS["azure"], "--subscription", "not-a-uuid"], "--subscription"),
    (AZURE, [*VENDOR_FLAGS["azure"], "--contact-email", "nobody"], "--contact-email"),
    ({"vendor": "gcp"}, [*VENDOR_FLAGS["gcp"], "--parent", "folders/12"], "--parent"),
    ({"vendor": "gcp"}, ["--parent", "projects/acme"], "--classification"),
    ({"vendor": "gcp"}, [*VENDOR_FLAGS["gcp"], "--timeout", "0"], "--timeout"),
])
def test_bad_input_is_exit_2_with_a_message_and_nothing_sent(tracker, vendors, capsys, setup, argv, words):
    esc = "ESC-2026-0999"
    if setup is not None:
        esc = tracker.open({"title": "outage", "severity": "P1", **setup}, at="2026-12-05T10:00:00Z").id
    assert main(["cases", "open", esc, *argv] if argv[:1] != ["ESC-2026-0999"] else ["cases", "open", *argv]) == 2
    err = capsys.readouterr().err
    assert "error:" in err and words in err and "Traceback" not in err, err
    assert vendors.calls == []


def test_a_finished_record_takes_no_case(tracker, vendors, capsys):
    esc = open_record(tracker, "aws")
    tracker.record_event(esc, "resolved", payload={"root_cause": "bad deploy"}, at="2026-12-05T11:00:00Z")
    assert main(["cases", "open", esc, "--send"]) == 2
    assert "reopen it" in capsys.readouterr().err and vendors.calls == []


def test_send_without_a_token_names_where_to_put_it(tracker, vendors, capsys, monkeypatch, tmp_path):
    esc = open_record(tracker, "gcp")
    monkeypatch.delenv("ESCALATION_KIT_GCP_TOKEN")
    assert main(["cases", "open", esc, *VENDOR_FLAGS["gcp"], "--send"]) == 2
    assert "ESCALATION_KIT_GCP_TOKEN" in capsys.readouterr().err
    empty = tmp_path / "token"
    empty.write_text("\n")
    assert main(["cases", "open", esc, *VENDOR_FLAGS["gcp"], "--send", "--token-file", str(empty)]) == 2
    assert "--token-file" in capsys.readouterr().err and vendors.calls == []


def test_a_token_file_is_read_and_never_printed(tracker, vendors, capsys, monkeypatch, tmp_path):
    from supportcases_support import GCP_TOKEN

    esc = open_record(tracker, "gcp")
    monkeypatch.delenv("ESCALATION_KIT_GCP_TOKEN")
    token = tmp_path / "token"
    token.write_text(GCP_TOKEN + "\n")
    assert main(["cases", "open", esc, *VENDOR_FLAGS["gcp"], "--send", "--token-file", str(token)]) == 0
    out, err = capsys.readouterr()
    assert GCP_TOKEN not in out + err and vendors.problems() == []


def test_aws_without_credentials_is_refused_naming_the_variables(tracker, vendors, capsys, monkeypatch):
    esc = open_record(tracker, "aws")
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    assert main(["cases", "open", esc, "--send"]) == 2
    assert "AWS_ACCESS_KEY_ID" in capsys.readouterr().err
    assert vendors.calls == [] and kinds(tracker, esc) == ["created"]


def test_an_unknown_aws_profile_is_a_clear_error_not_a_traceback(tracker, vendors, capsys, monkeypatch):
    esc = open_record(tracker, "aws")
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    assert main(["cases", "open", esc, "--send"]) == 2
    err = capsys.readouterr().err
    assert "cannot load AWS credentials" in err and "no-such-profile" in err and "Traceback" not in err
    assert vendors.calls == []


@pytest.mark.parametrize("url", ["http://support.example.com", "ftp://127.0.0.1", "https://u:p@support.example.com"])
def test_an_unsafe_endpoint_override_is_refused(tracker, vendors, capsys, monkeypatch, url):
    esc = open_record(tracker, "gcp")
    monkeypatch.setenv("ESCALATION_KIT_GCP_SUPPORT_URL", url)
    assert main(["cases", "open", esc, *VENDOR_FLAGS["gcp"]]) == 2
    assert "ESCALATION_KIT_GCP_SUPPORT_URL" in capsys.readouterr().err


@pytest.mark.parametrize("vendor", ["aws", "azure"])
def test_a_send_killed_before_recording_is_repaired_by_the_next_send(tracker, vendors, capsys, monkeypatch, vendor):
    import escalation_kit.supportcases as package

    esc = open_record(tracker, vendor)
    for n in range(105):  # other cases, one naming a record whose id starts like this one's: a second page
        vendors.statuses[f"case-000000000000-noise-{n:04d}"] = "resolved"
        vendors.subjects[f"case-000000000000-noise-{n:04d}"] = f"[P2] other ({esc}2)" if n == 7 else "[P3] other"
    record_filed = package.record_filed

    def killed(*args, **kwargs):
        raise KeyboardInterrupt  # the process dies after the vendor's answer, before the record

    monkeypatch.setattr(package, "record_filed", killed)
    argv = ["cases", "open", esc, *VENDOR_FLAGS[vendor], "--send"]
    assert main(argv) == 130
    assert kinds(tracker, esc) == ["created"] and len(vendors.ops(f"{vendor}.create")) == 1
    monkeypatch.setattr(package, "record_filed", record_filed)
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert "already has case" in err and len(vendors.ops(f"{vendor}.create")) == 1  # not opened twice
    case_id = tracker.get(esc).state.vendor_case_id
    assert case_id == json.loads(out)["case_id"] and case_id in vendors.statuses and "noise" not in case_id


def test_after_the_vendor_answered_a_new_send_opens_a_new_case(tracker, vendors, capsys):
    esc = open_record(tracker, "aws")
    assert main(["cases", "open", esc, "--send"]) == 0
    first = tracker.get(esc).state.vendor_case_id
    tracker.record_event(esc, "vendor_responded")
    assert main(["cases", "open", esc, "--send"]) == 0
    filed = [e.payload["case_id"] for e in tracker.events(esc) if e.kind == "vendor_case_filed"]
    assert len(vendors.ops("aws.create")) == 2 and filed[0] == first and filed[1] != first
