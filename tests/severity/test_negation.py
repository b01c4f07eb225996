"""Negated and hedged phrases must not trigger: 'not down', 'no customer impact', 'не затронуты', '未受影响'."""

from __future__ import annotations

import pytest

from escalation_kit.severity.classify import classify_severity

NOT_AN_OUTAGE = [
    "The site is not down, everything works",
    "prod is not down",
    "No customer impact: a replica restarted and recovered",
    "Customers are not affected by the failed backup job",
    "Пользователи не затронуты, всё работает штатно",
    "Влияния на пользователей нет, алерт ложный",
    "用户无感知，告警已恢复",
    "业务未受影响，仅监控告警",
]


@pytest.mark.parametrize("text", NOT_AN_OUTAGE)
def test_denied_impact_is_p3(text: str) -> None:
    result = classify_severity(text)
    assert result.severity == "P3", result.rationale
    assert not any(s.kind == "outage" and not s.negated for s in result.signals)


@pytest.mark.parametrize(("text", "word"), [
    ("The site is not down", "down"),
    ("Сервис не недоступен", "недоступен"),
    ("服务没有宕机", "宕机"),
])
def test_negated_signal_is_reported_but_marked(text: str, word: str) -> None:
    hits = [s for s in classify_severity(text).signals if s.text == word]
    assert hits and all(s.negated for s in hits)
    assert text[hits[0].start:hits[0].end] == word


NO_DATA_LOSS = [
    "Failover completed, no data loss, writes resumed",
    "Переключение прошло без потери данных",
    "主备切换完成，无数据丢失",
]


@pytest.mark.parametrize("text", NO_DATA_LOSS)
def test_no_data_loss_does_not_raise_to_p0(text: str) -> None:
    result = classify_severity(text)
    assert result.severity != "P0"
    assert result.features["data_loss"] == "none"
    assert "data_loss" not in result.question_ids


@pytest.mark.parametrize("text", [
    "If the database goes down we lose checkout",
    "Если база упадёт, оплата перестанет работать",
    "We should prevent data loss during the migration",
])
def test_hypotheticals_do_not_count(text: str) -> None:
    result = classify_severity(text)
    assert result.severity not in ("P0",), result.rationale
    assert result.features["data_loss"] != "confirmed"


def test_negation_does_not_cross_a_clause() -> None:
    # "not" belongs to the first clause; the second clause is a real outage.
    result = classify_severity("Staging is not affected, but production is down for all users")
    assert result.severity == "P0"


def test_a_cue_governs_only_the_next_signal() -> None:
    # "не" negates "работает", not the scope words after it
    result = classify_severity("Вход не работает у всех пользователей")
    assert result.features["scope"] == "all"
    assert result.severity == "P0"


@pytest.mark.parametrize(("text", "level"), [
    ("possible breach: unknown IP exported the customers table", "P1"),
    ("Подозрение на утечку базы клиентов", "P1"),
    ("疑似客户数据泄露", "P1"),
])
def test_suspected_breach_is_p1_not_p0(text: str, level: str) -> None:
    result = classify_severity(text)
    assert result.severity == level
    assert result.features["security"] == "suspected"


@pytest.mark.parametrize(("text", "outage"), [
    ("One stale place brings the whole freshness down", False),
    ("A slow cache drags the score down", False),
    ("Курс рубля упал, продажи упали на 20%", False),
    ("Конверсия упала после релиза", False),
    ("股价崩了", False),
    ("The deploy brought the whole site down", True),
    ("the bad config brought our servers down", True),
    ("Сайт упал, ничего не работает", True),
    ("服务器挂了", True),
])
def test_an_outage_word_for_a_quantity_that_fell_is_not_an_outage(text: str, outage: bool) -> None:
    """'brings the freshness down', «продажи упали», 股价崩了 lower a number; a site or server brought down is out."""
    result = classify_severity(text)
    assert any(s.kind == "outage" and not s.negated for s in result.signals) is outage, result.signals


@pytest.mark.parametrize(("text", "outage"), [
    ("Total service disruption for Binder lasted for approximately five hours.", True),
    ("LINE今天下午1點32分開始發生大規模當機", True),
    ("他当机立断，回滚了发布", False),
])
def test_outage_words_read_in_their_other_spellings(text: str, outage: bool) -> None:
    """blind-14 (read after its scoring): 'total service disruption' and 當機 (宕机 as written in Taiwan) are
    outages."""
    result = classify_severity(text)
    assert any(s.kind == "outage" and not s.negated for s in result.signals) is outage, result.signals


@pytest.mark.parametrize(("text", "hedged"), [
    ("feat: show a banner if the API is down/inaccessible", True),  # blind-15: 'inaccessible' read as a fact
    ("The site is not slow or down, all fine", False),
    ("Если сервис недоступен или тормозит, показывать заглушку", True),
])
def test_a_cue_governs_every_alternative_joined_by_or(text: str, hedged: bool) -> None:
    """'down/inaccessible', 'slow or down': the second word of one alternative takes the first's cue (it used
    to be read bare: a feature request for an outage banner was a P1 outage)."""
    result = classify_severity(text)
    outages = [s for s in result.signals if s.kind in ("outage", "degraded")]
    assert len(outages) >= 2 and all(s.hedged if hedged else s.negated for s in outages), result.signals
    assert result.severity in ("P2", "P3")
    assert classify_severity("The site is down or slow for everyone").severity == "P0"


@pytest.mark.parametrize("text", [
    "Is it safe to delete backup files? Mine has grown to 1GB.",  # blind-15
    "How to delete old backups?",
])
def test_a_how_to_question_about_data_is_not_a_data_loss_report(text: str) -> None:
    """The issue rates 'will I lose data if I upgrade?' P3: the data or security words that are a how-to
    question's own object set nothing, while a question about a loss that happened keeps it as suspected."""
    result = classify_severity(text)
    assert result.features["data_loss"] in (None, "none") and result.severity == "P3", result.rationale
    real = classify_severity("We deleted the production database by mistake, how do we restore it?")
    assert real.features["data_loss"] in ("suspected", "confirmed") and real.severity in ("P0", "P1")
    lost = classify_severity("Как восстановить потерянные данные после сбоя базы?")  # how to restore: a loss
    assert lost.features["data_loss"] in ("suspected", "confirmed") and lost.severity in ("P0", "P1")


def test_a_table_cell_boundary_is_not_an_or() -> None:
    """Review: in 'not degraded | down for all users' the pipe separates cells; the second cell's outage is read."""
    result = classify_severity("Status: not degraded | down for all users")
    assert [s.negated for s in result.signals if s.kind == "outage"] == [False]


def test_a_guide_for_a_breach_describes_no_breach() -> None:
    """'Guide with steps for leaked credentials in AWS' is documentation about a breach, not one: the guide word
    makes the security word the object of a how-to, as 'how to' does."""
    from escalation_kit.severity.classify import classify_severity

    guide = classify_severity("Guide with steps for Leaked Credentials in AWS. This guide includes steps to follow.")
    told = classify_severity("Leaked credentials in AWS: our production access keys were pushed to a public repo.")
    assert guide.severity == "P3" and told.severity == "P0"


@pytest.mark.parametrize(("text", "word"), [
    ("怀疑服务器被入侵，密钥可能泄露", "密钥可能泄露"),
    ("付款资讯与密码均安全，并未外泄", "密码均安全，并未外泄"),
])
def test_a_cue_between_a_pairs_two_words_governs_the_pair(text: str, word: str) -> None:
    """A pair matches its two words with text between them; a doubt or denial there ("可能", "并未") is the
    pair's own cue, as it would be if it stood before the first word."""
    hits = [s for s in classify_severity(text).signals if s.text == word]
    assert hits and all(s.negated or s.hedged or s.suspected for s in hits), hits
    assert classify_severity(text).severity != "P0"
