"""Escaping text for XML we write by hand (xml.sax.saxutils costs a start-up import of urllib)."""

from __future__ import annotations


def escape_text(text: str) -> str:
    """Text for an element's content: & < > escaped."""
    # Chained str.replace runs in C; str.translate with a dict looks up every character.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(text: str) -> str:
    """Text for a double-quoted attribute value: & < > " escaped."""
    return escape_text(text).replace('"', "&quot;")
