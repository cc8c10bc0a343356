"""The demo's agencies and sectors as the parser sees them, without a database."""

from __future__ import annotations

import json
from pathlib import Path

from council.imports import AgencyMatcher, AgencyRef, SectorRef

DEMO = json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "demo.json").read_text())
LANGS = ("", "_ru", "_kk", "_ky")
IDS = {a["key"]: i for i, a in enumerate(DEMO["agencies"], start=1)}


def _all(item, name):
    return tuple(dict.fromkeys(item[f"{name}{s}"] for s in LANGS if item.get(f"{name}{s}")))


def demo_matcher() -> AgencyMatcher:
    refs = [
        AgencyRef(
            id=IDS[a["key"]],
            party=a["party"],
            label=f"{a.get('short_name_ru') or a['name']} ({a['party']})",
            names=_all(a, "name"),
            short_names=_all(a, "short_name"),
            parent_id=IDS.get(a.get("parent")),
        )
        for a in DEMO["agencies"]
    ]
    parties = {"KZ": ["Республика Казахстан"], "KG": ["Кыргызская Республика"]}
    return AgencyMatcher(refs, parties)


def demo_sectors() -> list[SectorRef]:
    return [SectorRef(s["code"], _all(s, "name")) for s in DEMO["sectors"]]


def not_the_bytes(value):
    """A test id without the file: a made document holds the time it was made, and the two
    test processes, collecting a second apart, would name the same test differently."""
    return "file" if isinstance(value, bytes) else None
