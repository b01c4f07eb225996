"""``escalation-kit status`` through a real subprocess, its feeds served by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from conftest import cli_path
from statuspages_support import Route, feed_server, sample

pytestmark = pytest.mark.integration
CF = "/api/v2/summary.json"


def run(*args: str, base: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ESCALATION_KIT_STATUS_BASE_URL"}
    if base:
        env["ESCALATION_KIT_STATUS_BASE_URL"] = base
    return subprocess.run([cli_path(), "status", *args], capture_output=True, text=True, env=env, timeout=60)


def test_json_answer_for_a_readable_feed_exits_0() -> None:
    with feed_server({CF: Route(sample("cloudflare_summary.json"))}) as (base, _):
        done = run("cloudflare", "--region", "FRA", "--product", "Workers KV", "--json", base=base)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert got["verified"] is True and got["state"] == "incident" and got["feed_url"] == base + CF
    assert got["region_in_current_incident"] is True and got["product_in_current_incident"] is True
    assert got["incidents"][0]["title"] == "Elevated errors for Workers KV in Frankfurt"


def test_text_answer_lists_the_incidents_and_the_base_url_option_wins_over_the_environment() -> None:
    with feed_server({CF: Route(sample("cloudflare_summary.json"))}) as (base, _):
        done = run("cloudflare", "--base-url", base, base="http://127.0.0.1:9/nothing-here")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"cloudflare: read {base}{CF} at ")
    assert "  - Elevated errors for Workers KV in Frankfurt [investigating] (Frankfurt, Germany - (FRA))" in done.stdout


def test_an_unreadable_feed_exits_1_and_says_not_verified() -> None:
    with feed_server({CF: Route(b"", 503, content_type="text/plain")}) as (base, _):
        done = run("cloudflare", "--region", "FRA", base=base)
    assert done.returncode == 1
    assert "status NOT VERIFIED" in done.stdout and "HTTP 503" in done.stdout and "operational" not in done.stdout
    assert "tried cloudflare-summary" in done.stderr


def test_a_vendor_without_a_feed_exits_1_with_the_page_to_open() -> None:
    done = run("alibaba-cn", "--region", "cn-hangzhou", "--json")
    assert done.returncode == 1
    got = json.loads(done.stdout)
    assert got["state"] == "not_verified" and got["status_pages"] == ["https://status.aliyun.com/"]


@pytest.mark.parametrize(("args", "words"), [
    (("digitalocean",), "escalation-kit: error: vendor: no status feed facts for 'digitalocean'"),
    (("aws", "--region", "!!"), "escalation-kit: error: region: expected a region or product name"),
    (("aws", "--base-url", "ftp://127.0.0.1"), "escalation-kit: error: base_url: "),
])
def test_bad_input_exits_2_with_a_message_and_no_traceback(args: tuple[str, ...], words: str) -> None:
    done = run(*args)
    assert done.returncode == 2 and words in done.stderr and "Traceback" not in done.stderr
