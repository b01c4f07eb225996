"""The metrics report's wording is complete in every language, and a bad language is refused by name."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from escalation_kit.errors import InputError
from escalation_kit.tracker.metrics_report import ROWS, labels, render_metrics
from escalation_kit.tracker.models import Metrics, MetricsGroup
from escalation_kit.vocab import LANGS


def test_every_language_has_every_label():
    words = labels()
    assert set(words) == set(LANGS)
    keys = set(words["en"])
    assert set(ROWS) - {"mttr"} <= keys and "mttr" in keys
    assert all(set(words[lang]) == keys and all(str(v).strip() for v in words[lang].values()) for lang in LANGS)


def test_an_empty_period_reads_as_dashes_not_zeros():
    empty = Metrics(date_from=datetime(2026, 3, 1, tzinfo=UTC), date_to=datetime(2026, 4, 1, tzinfo=UTC),
                    group_by=[], total=MetricsGroup(count=0, open=0))
    text = render_metrics(empty, "en")
    assert "| Mean time to acknowledge, minutes | – |" in text
    assert "| Time to resolve p50 / p90, minutes | – / – |" in text
    with pytest.raises(InputError) as err:
        render_metrics(empty, "de")
    assert err.value.field == "language"
