"""Detect the reporter's language (ru / en / zh / unknown) from incident text.

Interface fixed by the foundation issue; the language issue implements the detector.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Language = Literal["ru", "en", "zh", "unknown"]
AnswerLanguage = Literal["ru", "en", "zh"]


class LanguageEvidence(BaseModel):
    script_shares: dict[str, float] = Field(description="Share of prose letters per script (latin, cyrillic, han...)")
    prose_letters: int = Field(description="Letters counted after code, logs, URLs and identifiers were removed")
    deciding_words: list[str] = Field(default_factory=list, description="Words that decided the answer")
    note: str = ""


class LanguageResult(BaseModel):
    language: Language
    answer_language: AnswerLanguage = Field(description="Language the assistant should answer in")
    confidence: float = Field(ge=0.0, le=1.0)
    mixed: bool = Field(description="True when the text mixes scripts or languages")
    evidence: LanguageEvidence


def detect_language(text: str) -> LanguageResult:
    raise NotImplementedError("implemented by the language issue")
