"""Detect the reporter's language (ru, en, zh) while ignoring logs, code, URLs and embedded English terms."""

from escalation_kit.language.detect import LanguageEvidence, LanguageResult, detect_language
from escalation_kit.language.script import script_language

__all__ = ["LanguageEvidence", "LanguageResult", "detect_language", "script_language"]
