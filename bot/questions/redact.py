"""Take what identifies a person out of a question before it is logged: emails, phone numbers, staff names.

A question is logged to learn what staff ask, never who asked or about whom; anything that
looks like an email address or a phone number (UK formats such as 07700 900123,
+44 (0)20 7946 0018, (0161) 496 0000, and international ones) becomes a placeholder,
and so does the full name of anyone in the staff directory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL_PLACEHOLDER = "[email]"
PHONE_PLACEHOLDER = "[phone]"
NAME_PLACEHOLDER = "[name]"

#: An address, with Slack's `<mailto:…|…>` wrapping or a bare `mailto:`.
_SLACK_LINK = re.compile(r"<(?:mailto|tel):[^>|]*(?:\|[^>]*)?>", re.IGNORECASE)
_EMAIL = re.compile(r"(?:mailto:)?[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
#: A run of digits with the separators phone numbers are written with, optionally after + or (.
_PHONE = re.compile(r"(?<![\w+])(?:\+|\(\+?)?\d[\d\s().-]{6,}\d(?![\w])")
#: Phone numbers have 9 to 15 digits (E.164); dates and years have fewer.
_MIN_DIGITS, _MAX_DIGITS = 9, 15
_SPACES = re.compile(r"[ \t]+")


def _phone_or_same(match: re.Match[str]) -> str:
    digits = sum(ch.isdigit() for ch in match.group(0))
    return PHONE_PLACEHOLDER if _MIN_DIGITS <= digits <= _MAX_DIGITS else match.group(0)


def name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for the full names of staff (two words or more), longest first."""
    full = sorted({n.strip() for n in names if len(n.split()) >= 2}, key=len, reverse=True)
    if not full:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, name.split())) for name in full)
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


def redact(text: str, names: re.Pattern[str] | None = None) -> str:
    """The text with emails, phone numbers and (with `names`) staff names replaced by placeholders."""
    text = _SLACK_LINK.sub(lambda m: PHONE_PLACEHOLDER if m.group(0)[1:4].lower() == "tel" else EMAIL_PLACEHOLDER,
                           text)
    text = _EMAIL.sub(EMAIL_PLACEHOLDER, text)
    text = _PHONE.sub(_phone_or_same, text)
    if names is not None:
        text = names.sub(NAME_PLACEHOLDER, text)
    return _SPACES.sub(" ", text).strip()
