"""SQLite's LIKE folds only ASCII letters, so "кордай" would not find "Кордай" in the demo.

On SQLite every connection gets a LIKE that folds case for every script, the way
PostgreSQL's ILIKE does. Django sends ``contains`` and ``icontains`` both as LIKE on
SQLite, so this changes only what non-ASCII letters match.
"""

import functools
import re


@functools.lru_cache(maxsize=256)
def _pattern(pattern: str, escape: str | None) -> re.Pattern:
    parts, chars, i = [], pattern, 0
    while i < len(chars):
        char = chars[i]
        if escape and char == escape and i + 1 < len(chars):
            parts.append(re.escape(chars[i + 1]))
            i += 2
            continue
        parts.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        i += 1
    return re.compile("".join(parts), re.DOTALL | re.IGNORECASE)


def like(pattern, value, escape=None):
    if pattern is None or value is None:
        return None
    return _pattern(str(pattern).casefold(), escape).fullmatch(str(value).casefold()) is not None


def fold_like(sender, connection, **kwargs):
    """connection_created receiver: replace LIKE (two and three arguments) on SQLite."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("like", 2, like, deterministic=True)
    raw.create_function("like", 3, like, deterministic=True)
