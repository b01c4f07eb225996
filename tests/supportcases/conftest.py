"""A private tracker home with the three support APIs pointed at the stand-in on 127.0.0.1 (supportcases_support)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from supportcases_support import (
    AKID,
    AWS_SECRET,
    AZURE_TOKEN,
    ENV_NAMES,
    GCP_TOKEN,
    SUBSCRIPTION,
    FakeVendors,
    vendor_server,
)


@pytest.fixture
def vendors() -> Iterator[FakeVendors]:
    with vendor_server() as state:
        yield state


@pytest.fixture
def home(tmp_path, monkeypatch, vendors):
    """A private tracker home, the three APIs pointed at the stand-in, credentials in the environment only."""
    monkeypatch.setenv("ESCALATION_KIT_HOME", str(tmp_path))
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    for name in ("AWS_SUPPORT", "AZURE_SUPPORT", "GCP_SUPPORT"):
        monkeypatch.setenv(f"ESCALATION_KIT_{name}_URL", vendors.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", AKID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", AWS_SECRET)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("ESCALATION_KIT_AZURE_TOKEN", AZURE_TOKEN)
    monkeypatch.setenv("ESCALATION_KIT_GCP_TOKEN", GCP_TOKEN)
    monkeypatch.setenv("ESCALATION_KIT_AZURE_SUBSCRIPTION_ID", SUBSCRIPTION)
    monkeypatch.setenv("ESCALATION_KIT_GCP_PARENT", "projects/acme-prod")
    for key, value in {"FIRST_NAME": "Dana", "LAST_NAME": "Ops", "EMAIL": "dana@acme.example", "COUNTRY": "DEU",
                       "TIMEZONE": "W. Europe Standard Time"}.items():
        monkeypatch.setenv(f"ESCALATION_KIT_AZURE_CONTACT_{key}", value)
    return tmp_path
