"""Property tests: appended machine noise, letter case and character width never change the answer."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from escalation_kit.language.detect import detect_language

RU_WORDS = ("сервер", "не", "отвечает", "упал", "прод", "база", "данных", "лежит", "после", "деплоя",
            "пользователи", "жалуются", "платежи", "проходят", "срочно", "помогите", "ошибка", "опять",
            "с утра", "мы", "уже", "откатили", "релиз", "очередь", "растёт")
ZH_WORDS = ("服务器", "无法", "连接", "数据库", "超时", "订单", "支付", "失败", "请", "帮忙", "处理",
            "线上", "故障", "用户", "反馈", "一直", "报错", "已经", "回滚", "伺服器", "無法", "連線")
EN_WORDS = ("the", "server", "is", "down", "since", "this", "morning", "we", "rolled", "back", "but",
            "payments", "are", "still", "failing", "please", "escalate", "to", "vendor", "users", "cannot",
            "log", "in", "and", "checkout", "times", "out")
TECH = ("prod", "RDS", "ECS", "SLB", "CPU", "latency", "k8s", "pod", "OOMKilled", "502", "timeout", "Redis")

IDENT = st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=10)


def _sentence(words: tuple[str, ...], joiner: str) -> st.SearchStrategy[str]:
    prose = st.lists(st.sampled_from(words), min_size=2, max_size=9)
    tech = st.lists(st.sampled_from(TECH), max_size=2)
    return st.builds(lambda p, t: joiner.join(p[:1] + t + p[1:]) if joiner else "".join(p[:1]) + " ".join(t)
                     + "".join(p[1:]), prose, tech)


RU = _sentence(RU_WORDS, " ")
ZH = _sentence(ZH_WORDS, "")
EN = _sentence(EN_WORDS, " ")

URLS = st.builds("https://{}.example.com/{}/{}?id={}".format, IDENT, IDENT, IDENT, st.integers(0, 10**6))


@st.composite
def stack_traces(draw: st.DrawFn) -> str:
    """A Python, Java or Go stack trace with random names and an English exception message."""
    a, b, c = draw(IDENT), draw(IDENT), draw(IDENT)
    line = draw(st.integers(1, 999))
    message = " ".join(draw(st.lists(st.sampled_from(EN_WORDS), min_size=1, max_size=6)))
    kind = draw(st.sampled_from(["python", "java", "go"]))
    if kind == "python":
        return (f'Traceback (most recent call last):\n  File "/srv/{a}/{b}.py", line {line}, in {c}\n'
                f"    {c}(payload)\nValueError: {message}")
    if kind == "java":
        return (f'Exception in thread "main" java.lang.IllegalStateException: {message}\n'
                f"\tat com.{a}.{b}.{c.capitalize()}.run({c.capitalize()}.java:{line})\n"
                f"\tat com.{a}.Main.main(Main.java:{line + 1})")
    return (f"panic: runtime error: {message}\n\ngoroutine 1 [running]:\nmain.{a}()\n"
            f"\t/app/{b}.go:{line} +0x1d\nexit status 2")


SUFFIXES = st.one_of(URLS, stack_traces(), st.uuids().map(str))
JOINERS = st.sampled_from([" ", "\n", "\n\n", " see: ", ", log:\n"])


@settings(max_examples=60, deadline=None)
@given(st.one_of(RU, ZH), SUFFIXES, JOINERS)
def test_appending_url_trace_or_uuid_to_ru_or_zh_never_changes_the_answer(sentence: str, suffix: str,
                                                                          joiner: str) -> None:
    before = detect_language(sentence).language
    assert before in ("ru", "zh")
    assert detect_language(sentence + joiner + suffix).language == before


@settings(max_examples=60, deadline=None)
@given(st.one_of(RU, ZH, EN), st.sampled_from([str.upper, str.lower, str.swapcase, str.title]))
def test_letter_case_never_changes_the_answer(sentence: str, change: object) -> None:
    assert detect_language(change(sentence)).language == detect_language(sentence).language  # type: ignore[operator]


def to_full_width(text: str) -> str:
    """Map printable ASCII to its full-width form (U+FF01..U+FF5E) and spaces to U+3000."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text)


@settings(max_examples=60, deadline=None)
@given(st.one_of(RU, ZH, EN), SUFFIXES)
def test_full_width_forms_never_change_the_answer(sentence: str, suffix: str) -> None:
    text = sentence + " " + suffix
    assert detect_language(to_full_width(text)).language == detect_language(text).language


def test_half_width_katakana_reads_like_full_width() -> None:
    half, full = detect_language("ｻｰﾊﾞｰが落ちた"), detect_language("サーバーが落ちた")
    assert half.language == full.language == "unknown"
