"""Recorded text made safe for every output: Word, Excel, CSV, iCalendar, e-mail, files.

Text reaches the database from forms, the admin, imports and pastes from Word, which
writes a vertical tab for a manual line break. XML 1.0 (Word and Excel files) allows no
control character but tab and line breaks, and no U+FFFE/U+FFFF; UTF-8 (every output)
cannot carry a lone surrogate; a mail header or a download name must be one line. Every
writer passes text through one of the functions here, so the rule lives in one place.

openpyxl has a pattern for the illegal control characters (``ILLEGAL_CHARACTERS_RE``),
but it drops the vertical tab and form feed instead of keeping them as line breaks and
lets surrogates and the two noncharacters through, so it is not used.
"""

from __future__ import annotations

import os
import re
import unicodedata

# Characters that break a line in Word, in Unicode, on old Macs or in mainframe text:
# kept as one line feed. (U+2028/U+2029 are valid XML, but Word shows them as boxes; a
# CR would come back from Word or XML as a second break.)
_BREAKS = str.maketrans(dict.fromkeys("\r\x0b\x0c\x85\u2028\u2029", "\n"))
# What XML 1.0 refuses or UTF-8 cannot encode: C0 controls but tab, LF and CR; lone
# surrogates; the two noncharacters.
_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_WHITESPACE = re.compile(r"\s+")
# Not allowed in a file name on Windows (and "/" nowhere): replaced when naming a download.
_NOT_IN_NAMES = re.compile(r'[\\/:*?"<>|]')
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}")
ELLIPSIS = "…"
LINE_LIMIT = 200
NAME_LIMIT = 150


def xml_safe(value) -> str:
    """``value`` as text any XML document, CSV file, calendar or e-mail body can carry.

    Line breaks become one line feed (CRLF, CR, vertical tab, form feed, NEL, U+2028,
    U+2029); the other C0 controls but tab, lone surrogates, U+FFFE and U+FFFF are
    removed. Everything else, markup included, is left for the writer to escape.
    """
    if value is None:
        return ""
    return _NOT_XML.sub("", str(value).replace("\r\n", "\n").translate(_BREAKS))


def one_line(value, limit: int = LINE_LIMIT) -> str:
    """``value`` as one clean line of at most ``limit`` characters: an e-mail subject, a
    calendar's name, a file name.

    Runs of whitespace (line breaks and Unicode separators included) become one space,
    control characters go, and a longer text is cut at a word where there is one, ending
    in an ellipsis.
    """
    text = _WHITESPACE.sub(" ", xml_safe(value))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cc").strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" .,;:–—-") + ELLIPSIS


def download_name(name) -> str:
    """``name`` fit to name a downloaded file: one line, no path or reserved characters,
    the stem short enough for any file system, the extension kept. The caller passes it
    to Django's ``content_disposition_header`` (or ``FileResponse(filename=…)``), which
    encodes it for the header."""
    text = one_line(_NOT_IN_NAMES.sub(_name_character, xml_safe(name)), limit=len(str(name)))
    stem, extension = os.path.splitext(text)
    if not _EXTENSION.fullmatch(extension):
        stem, extension = text, ""
    return (one_line(stem, NAME_LIMIT).strip(" .") or "download") + extension


def _name_character(match: re.Match) -> str:
    return "'" if match.group() == '"' else "-"
