"""Small text helpers templates use to join a writer's phrases into well-punctuated sentences."""

from __future__ import annotations

# Marks that may end a phrase a writer typed; templates supply their own punctuation.
_TRAILING = "。，、；：,.;: \t\u3000"
_SENTENCE_END = ("。", "！", "？", "!", "?", "…", "。”", "！”", "？”")


def clause(text: str) -> str:
    """Strip the punctuation a writer may have typed at the end of a phrase: 成效显著。 → 成效显著."""
    return str(text).rstrip(_TRAILING)


def sentence(text: str) -> str:
    """End a phrase with exactly one full stop unless it already ends a sentence."""
    text = str(text).rstrip(" \t\u3000")
    if not text or text.endswith(_SENTENCE_END):
        return text
    return clause(text) + "。"
