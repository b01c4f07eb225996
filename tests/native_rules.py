"""Machine-checkable parts of the native review (docs/native-review.md) for ru and zh documents."""

from __future__ import annotations

import re

from escalation_kit.briefs.names import product_words

HAN = r"[\u4e00-\u9fff]"
# ASCII punctuation touching a Han character: Chinese sentences use ，。：；（）.
ASCII_IN_ZH = re.compile(rf"{HAN}[(),:;]|[(),:;]{HAN}")
# Stripped before the checks: links, code, CLI options, offsets, redaction markers and Markdown checkboxes.
URL = re.compile(r"https?://\S+|`[^`]*`|--[a-z-]+|UTC[+-]\d{2}:\d{2}|\[REDACTED:[^\]]*\]|\[[ x]\]")
TIME_AMPM = re.compile(r"\b\d{1,2}(?::\d{2})?\s?(?:[AaPp]\.?[Mm]\.?)(?!\w)")
ISO_T = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
SEED_ID = re.compile(r"\[?seed-\d{3}\]?")
# Terms a Russian or Chinese incident manager writes in Latin script as they are.
ALLOWED_LATIN = {
    "SLA", "UTC", "API", "CLI", "TAM", "RDS", "ECS", "OSS", "SLB", "VPC", "DNS", "HTTP", "HTTPS", "CDN", "IP",
    "P0", "P1", "P2", "P3", "P4", "L1", "L2", "L3", "DingTalk", "Slack", "Teams", "Microsoft", "Feishu", "Lark",
    "WeCom", "GDPR", "PIPL", "CAC", "FZ", "Art", "VP", "REDACTED", "INC", "SUP", "AccessKey", "Status",
    "System", "Health", "Dashboard", "Yandex", "Cloud", "AWS", "Azure", "Google", "Alibaba", "Huawei", "Tencent",
    "Oracle", "Cloudflare", "TCHD", "Zoom", "ID", "KB",
}


def latin_words(markdown: str, source_text: str) -> set[str]:
    """Latin-script words of a ru/zh document not in the allow-list, the product names or the input."""
    allowed = ALLOWED_LATIN | product_words() | set(re.findall(r"[A-Za-z][A-Za-z0-9_+-]*", source_text))
    text = URL.sub(" ", markdown)
    words = set(re.findall(r"(?<![\w-])[A-Za-z][A-Za-z0-9+]*(?:-[A-Za-z0-9]+)*", text))
    return {w for w in words if w not in allowed and not re.fullmatch(r"[A-Z]{1,2}\d*", w)}


def native_problems(markdown: str, lang: str, source_text: str = "") -> list[str]:
    """What a native reviewer's checklist flags mechanically in a rendered document."""
    problems = []
    body = URL.sub(" ", markdown)
    if lang == "zh":
        problems += [f"ASCII punctuation in Chinese: {m!r}" for m in ASCII_IN_ZH.findall(body)
                     if m not in source_text]
        problems += [f"space inside a Chinese word run: {m!r}" for m in re.findall(rf"{HAN} {HAN}", body)
                     if m not in source_text]
    if lang == "ru":
        problems += [f"ASCII quotes in Russian: {m!r}" for m in re.findall(r'"[А-Яа-яЁё][^"\n]*"', body)
                     if m not in source_text]
        problems += [f"breaking space before a unit: {m!r}" for m in re.findall(r"\d (?:мин|ч)\b", body)
                     if m not in source_text]
    if lang in ("ru", "zh"):
        problems += [f"Latin word {w!r}" for w in sorted(latin_words(markdown, source_text))]
    problems += [f"12-hour time {m!r}" for m in TIME_AMPM.findall(markdown) if m not in source_text]
    problems += [f"ISO time form {m!r}" for m in ISO_T.findall(markdown) if m not in source_text]
    problems += [f"citation id {m!r}" for m in SEED_ID.findall(markdown)]
    return problems
