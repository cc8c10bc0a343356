"""Finding the responsible agencies a clause names.

Protocols name agencies in the dative ("Министерству торговли и интеграции Республики
Казахстан"), the instrumental ("совместно с Министерством энергетики Кыргызской
Республики"), abbreviated ("МТИ РК", "МЭК КР") or as a committee of a ministry. Every word
is reduced to its dictionary form (pymorphy3), so case endings do not matter, and each
run of words starting like a known name is compared with that name (rapidfuzz); the
score (0–100) is shown to the person checking the import.

The matcher works on plain data (``AgencyRef``), so it runs without the database and a
caller builds it once per import.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

THRESHOLD = 86  # below this a run of words is not taken for an agency
SHORT_EXACT = 5  # names this short (abbreviations) must match exactly

# How protocols abbreviate the parties after an agency's short name.
PARTY_ABBREVIATIONS = {"KZ": ["рк", "қр"], "KG": ["кр"]}
# Words that introduce a co-executor rather than the lead.
CO_MARKERS = [
    ("совместно", "с"),
    ("совместно", "со"),
    ("с", "участие"),
    ("при", "участие"),
    ("во", "взаимодействие", "с"),
    ("в", "взаимодействие", "с"),
    ("с", "привлечение"),
]
_WORD = re.compile(r"[\w«»\"'-]+", re.UNICODE)
_STRIP = "«»\"'-"


@dataclass(frozen=True)
class AgencyRef:
    """An agency as the matcher knows it: every name and short name in every language."""

    id: int
    party: str  # ISO code
    label: str  # how the preview names it
    names: tuple[str, ...]
    short_names: tuple[str, ...] = ()
    parent_id: int | None = None


@dataclass
class Found:
    """An agency named in a text."""

    agency: AgencyRef | None  # None: the words look like an agency but match several
    start: int  # character offsets of the mention in the text
    end: int
    score: int
    mention: str
    co_marker: bool = False  # introduced by "совместно с" and the like
    candidates: list[AgencyRef] = field(default_factory=list)


@functools.cache
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@functools.lru_cache(maxsize=50_000)
def lemma(word: str) -> str:
    word = word.lower().replace("ё", "е").strip(_STRIP)
    if not word:
        return ""
    if not re.search(r"[а-я]", word) or len(word) <= 2:
        return word
    return _morph().parse(word)[0].normal_form.replace("ё", "е")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Words of ``text`` as (dictionary form, start, end)."""
    found = []
    for m in _WORD.finditer(text):
        word = m.group(0).strip(_STRIP)
        if not word:
            continue
        start = m.start() + m.group(0).index(word)
        found.append((lemma(word), start, start + len(word)))
    return found


def lemmas(text: str) -> list[str]:
    return [t[0] for t in tokens(text)]


class AgencyMatcher:
    """Finds the agencies of ``agencies`` named in a text; ``parties`` maps a party code
    to its names (every language), which protocols append to an agency's name."""

    def __init__(self, agencies: list[AgencyRef], parties: dict[str, list[str]]):
        self.agencies = {a.id: a for a in agencies}
        self.party_suffixes: dict[str, list[list[str]]] = {}
        for code, names in parties.items():
            suffixes = [lemmas(n) for n in names if n]
            suffixes += [[abbr] for abbr in PARTY_ABBREVIATIONS.get(code, [])]
            self.party_suffixes[code] = [s for s in suffixes if s]
        # Variant (words in dictionary form) → the agencies it names.
        variants: dict[tuple[str, ...], set[int]] = {}
        for agency in agencies:
            for words in self._variants(agency):
                if words:
                    variants.setdefault(tuple(words), set()).add(agency.id)
        self.by_first: dict[str, list[tuple[tuple[str, ...], str, list[int]]]] = {}
        for words, ids in variants.items():
            key = words[0][:4]
            self.by_first.setdefault(key, []).append((words, " ".join(words), sorted(ids)))
        self.max_len = max((len(w) for w in variants), default=1)

    def _variants(self, agency: AgencyRef) -> list[list[str]]:
        own = [lemmas(n) for n in agency.names if n]
        shorts = [lemmas(n) for n in agency.short_names if n]
        suffixes = self.party_suffixes.get(agency.party, [])
        found = list(own) + list(shorts)
        for base in own:
            # Without the party ("Министерство торговли и интеграции"): a table's column
            # or the rest of the name tells which party's.
            for suffix in suffixes:
                if len(base) > len(suffix) + 1 and base[-len(suffix) :] == suffix:
                    found.append(base[: -len(suffix)])
        for base in own + shorts:
            if not any(base[-len(s) :] == s for s in suffixes if len(base) > len(s)):
                found += [base + s for s in suffixes]
        parent = self.agencies.get(agency.parent_id) if agency.parent_id else None
        if parent is not None:
            parent_names = [lemmas(n) for n in parent.names + parent.short_names if n]
            # "Комитету индустрии туризма Министерства туризма и спорта РК"
            found += [base + p for base in own for p in parent_names]
            found += [base + p + s for base in own for p in parent_names for s in suffixes[:3]]
        return found

    def find(self, text: str, party_hint: str | None = None) -> list[Found]:
        """Every agency named in ``text``, in order of mention. With ``party_hint`` (a
        table column "казахстанская сторона"), names shared by both parties' agencies
        ("Минэнерго") resolve to that party's."""
        words = tokens(text)
        lem = [w[0] for w in words]
        best: list[tuple[int, int, int, list[int]]] = []  # score, start, length, ids
        for i, first in enumerate(lem):
            for variant, joined, ids in self.by_first.get(first[:4], ()):
                n = len(variant)
                for length in {n - 1, n, n + 1} if n > 2 else {n}:
                    if length < 1 or i + length > len(lem):
                        continue
                    window = " ".join(lem[i : i + length])
                    if len(joined) <= SHORT_EXACT or n == 1:
                        score = 100 if window == joined else 0
                    else:
                        score = int(round(fuzz.ratio(window, joined)))
                    if score >= THRESHOLD:
                        best.append((score, i, length, ids))
        # The best, longest mentions first; then no overlaps.
        best.sort(key=lambda b: (-b[0], -b[2], b[1]))
        taken: set[int] = set()
        chosen: list[Found] = []
        for score, i, length, ids in best:
            span = set(range(i, i + length))
            if span & taken:
                continue
            taken |= span
            candidates = [self.agencies[x] for x in ids]
            if party_hint and len(candidates) > 1:
                candidates = [a for a in candidates if a.party == party_hint] or candidates
            start, end = words[i][1], words[i + length - 1][2]
            chosen.append(
                Found(
                    agency=candidates[0] if len(candidates) == 1 else None,
                    start=start,
                    end=end,
                    score=score,
                    mention=text[start:end],
                    co_marker=self._co_marker(lem, i),
                    candidates=candidates,
                )
            )
        chosen.sort(key=lambda f: f.start)
        return chosen

    @staticmethod
    def _co_marker(lem: list[str], i: int) -> bool:
        for marker in CO_MARKERS:
            n = len(marker)
            if i >= n and tuple(lem[i - n : i]) == marker:
                return True
        return False


def assign_roles(found: list[Found], party_hint: str | None = None) -> list[tuple[Found, str]]:
    """Lead or co-executor for each agency found: per party, the first agency named
    without "совместно с" leads (or the first named at all), the others co-execute."""
    roles: list[tuple[Found, str]] = []
    seen: set[int] = set()
    known = [
        f
        for f in found
        if f.agency is not None and not (f.agency.id in seen or seen.add(f.agency.id))
    ]
    parties = {f.agency.party for f in known}
    leads: dict[str, int] = {}
    for party in parties:
        of_party = [f for f in known if f.agency.party == party]
        lead = next((f for f in of_party if not f.co_marker), of_party[0])
        leads[party] = lead.agency.id
    for f in known:
        roles.append((f, "lead" if leads[f.agency.party] == f.agency.id else "co_executor"))
    return roles
