"""From a protocol's paragraphs and tables to the clauses it adopts.

``parse(name, data, matcher=…, sectors=…)`` reads the file (``files``), finds the
numbered clauses ("1.", "1.1.", "2.3.1") under their Roman-numeral section headings, the
"Срок" line or the deadline closing the last sentence (``deadlines``), the responsible
agencies (``agencies``) and the sector from the heading, and lists a warning for
everything it could not be sure of. It writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from . import deadlines as dl
from .agencies import AgencyMatcher, Found, assign_roles, lemma, lemmas
from .files import Block, ImportFileError, read_blocks

MAX_CLAUSES = 2000
LONG_TEXT = 4000
TITLE_LENGTH = 150

CLAUSE = re.compile(
    r"^\s*(?P<num>\d{1,3}\.(?:\d{1,3}\.?){0,4}|\d{1,3}(?:\.\d{1,3}){1,4})\s*(?P<rest>.*)$", re.S
)
ROMAN = re.compile(r"^\s*(?P<num>[IVXLC]{1,6})\.?\s+(?P<title>\S.*)$", re.S)
END = re.compile(
    r"^\s*(?:за\s+правительство|совершено\s+в|подписи\s+сторон|председател[ьи]\s+"
    r"(?:казахстанской|кыргызской)|сопредседател)",
    re.I,
)
NOTED = re.compile(r"^\s*(?:принять\s+к\s+сведению|назар(?:ға)?\s+алынсын|эске\s+алынсын)", re.I)
HEAD_NOUNS = {
    "министерство",
    "комитет",
    "агентство",
    "департамент",
    "служба",
    "канцелярия",
    "администрация",
    "компания",
    "ведомство",
    "акимат",
    "мэрия",
    "инспекция",
}
NOT_AGENCIES = {"еаэс", "снг", "шос", "одкб", "оон", "сша", "вто", "ндс", "рк", "кр", "қр", "ес"}
ABBREVIATION = re.compile(r"^[А-ЯЁӘІҢҒҮҰҚӨҺ]{2,6}$")
# What a table's header says about a column.
COLUMNS = [
    ("number", re.compile(r"№|^\s*n\s*п/п|^\s*номер|пункт", re.I)),
    ("deadline", re.compile(r"срок|мерзім|мөөнөт", re.I)),
    ("responsible", re.compile(r"ответствен|исполнител|жауапты|жооптуу", re.I)),
    ("form", re.compile(r"форма\s+заверш|форма\s+исполн|аяқтау\s+нысаны", re.I)),
    ("text", re.compile(r"наименован|мероприяти|содержан|поручени|решени|текст|іс-шара", re.I)),
    ("sector", re.compile(r"сфера|отрасл|сектор|направлени", re.I)),
]
PARTY_WORDS = {
    "KZ": re.compile(r"казах|қазақ", re.I),
    "KG": re.compile(r"кыргыз|киргиз|қырғыз", re.I),
}
# Words in a heading that point to a sector (by code), besides the sectors' own names.
SECTOR_HINTS = {
    "trade": ["торговля", "торговый", "торгово-экономический", "товарооборот"],
    "industry": ["промышленный", "промышленность", "индустриальный"],
    "investment": ["инвестиция", "инвестиционный"],
    "energy": ["энергетика", "энергетический", "электроэнергия", "топливно-энергетический"],
    "water": ["водный", "вода", "водохозяйственный", "ирригация"],
    "agro": ["сельский", "агропромышленный", "ветеринарный", "фитосанитарный", "аграрный"],
    "transport": ["транспорт", "транспортный", "логистика", "логистический"],
    "tourism": ["туризм", "туристический"],
    "culture": ["культура", "культурный", "гуманитарный", "образование"],
}


@dataclass(frozen=True)
class SectorRef:
    code: str
    names: tuple[str, ...]


@dataclass
class Responsible:
    agency_id: int
    agency: str
    party: str
    role: str  # "lead" or "co_executor"
    score: int
    mention: str = ""

    def as_json(self) -> dict:
        return {
            "agency_id": self.agency_id,
            "agency": self.agency,
            "party": self.party,
            "role": self.role,
            "score": self.score,
        }


@dataclass
class ParsedClause:
    clause: str
    text: str
    title: str = ""
    section: str = ""
    sector: str | None = None
    deadline: dl.Deadline | None = None
    deadline_text: str = ""
    responsible: list[Responsible] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    noted: bool = False  # "Принять к сведению": takes note, not imported as a commitment
    repeated: bool = False

    def as_json(self) -> dict:
        return {
            "clause": self.clause,
            "title": self.title,
            "text": self.text,
            "sector": self.sector,
            "deadline": self.deadline.as_json() if self.deadline else None,
            "responsible": [r.as_json() for r in self.responsible],
            "warnings": list(self.warnings),
        }


@dataclass
class ParseResult:
    name: str
    kind: str = ""
    clauses: list[ParsedClause] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"clauses": [c.as_json() for c in self.clauses], "errors": list(self.errors)}


@dataclass
class _Draft:
    clause: str
    paragraphs: list[str]
    section: str
    deadline_text: str = ""
    cells: dict | None = None  # from a table: responsible cells per party, deadline cell
    deadline_date: object = None


def parse(
    name: str,
    data: bytes,
    *,
    matcher: AgencyMatcher,
    sectors: list[SectorRef] = (),
    reference_year: int | None = None,
) -> ParseResult:
    """Every clause of the file; ``errors`` holds why nothing can be imported (then
    ``clauses`` is empty)."""
    result = ParseResult(name=name)
    try:
        result.kind, blocks = read_blocks(name, data)
    except ImportFileError as error:
        result.errors.append(str(error))
        return result
    drafts = _drafts(blocks)
    if len(drafts) > MAX_CLAUSES:
        result.errors.append(
            _("The file holds more than %(max)s clauses; split it and import each part.")
            % {"max": MAX_CLAUSES}
        )
        return result
    sector_index = _sector_index(sectors)
    seen: set[str] = set()
    for draft in drafts:
        clause = _finish(draft, matcher, sector_index, reference_year)
        if clause.clause in seen:
            clause.repeated = True
            clause.warnings.append(
                _("Clause number %(clause)s is repeated; only its first occurrence is imported.")
                % {"clause": clause.clause}
            )
        seen.add(clause.clause)
        result.clauses.append(clause)
    if not result.clauses:
        result.errors.append(
            _(
                "No numbered clauses were found. Clauses are read from paragraphs numbered "
                "“1.”, “1.1.”, “2.3.1” or from a table with the columns “№”, the measure, "
                "the responsible agencies and the deadline."
            )
        )
    return result


# Structure -----------------------------------------------------------------------------


def _drafts(blocks: list[Block]) -> list[_Draft]:
    drafts: list[_Draft] = []
    section = ""
    current: _Draft | None = None
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.cells is not None:
            rows = [block]
            while (
                i + 1 < len(blocks)
                and blocks[i + 1].table == block.table
                and blocks[i + 1].cells is not None
            ):
                i += 1
                rows.append(blocks[i])
            i += 1
            table = _table_drafts(rows, section)
            if table is not None:
                drafts += table[0]
                section = table[1]
                current = None
                continue
            paragraphs = []
            for row in rows:
                for cell in _distinct(row.cells):
                    paragraphs += [p for p in cell.split("\n") if p.strip()]
            current, section = _paragraphs(paragraphs, drafts, current, section)
            continue
        current, section = _paragraphs([block.text], drafts, current, section)
        i += 1
    return _drop_parents(drafts)


def _distinct(cells: list[str]) -> list[str]:
    out: list[str] = []
    for cell in cells:
        if cell and (not out or out[-1] != cell):
            out.append(cell)
    return out


def _paragraphs(paragraphs, drafts, current, section):
    for paragraph in paragraphs:
        text = paragraph.strip()
        if not text:
            continue
        if END.match(text):
            current = None
            continue
        if m := ROMAN.match(text):
            section = f"{m['num']}. {m['title'].strip()}"
            current = None
            continue
        if m := CLAUSE.match(text):
            number = m["num"].strip(".")
            rest = m["rest"].strip()
            current = _Draft(clause=number, paragraphs=[rest] if rest else [], section=section)
            drafts.append(current)
            continue
        if current is None:
            continue  # the preamble, or text between a heading and its first clause
        if (value := dl.deadline_line(text)) is not None:
            current.deadline_text = value
            continue
        current.paragraphs.append(text)
    return current, section


def _drop_parents(drafts: list[_Draft]) -> list[_Draft]:
    """A numbered line followed by its sub-clauses ("1. По вопросам торговли:" then
    "1.1.", "1.2.") heads them rather than being a clause itself, unless it says more
    (a deadline, or takes note of something)."""
    kept = []
    for index, draft in enumerate(drafts):
        following = drafts[index + 1] if index + 1 < len(drafts) else None
        text = " ".join(draft.paragraphs)
        is_parent = (
            following is not None
            and following.clause.startswith(draft.clause + ".")
            and draft.cells is None
            and not draft.deadline_text
            and not NOTED.match(text)
            and len(text) < 300
        )
        if is_parent:
            for child in drafts[index + 1 :]:
                if not child.clause.startswith(draft.clause + "."):
                    break
                child.section = " / ".join(s for s in (child.section, text.rstrip(":")) if s)
            continue
        kept.append(draft)
    return kept


def _table_drafts(rows: list[Block], section: str):
    """Drafts from a plan-of-measures table, or None if the table is not one."""
    header_rows = 0
    columns: dict[int, str] = {}
    labels: dict[int, str] = {}
    parties: dict[int, str | None] = {}
    for count in range(1, min(4, len(rows)) + 1):
        width = max(len(r.cells) for r in rows[:count])
        joined = [
            " ".join(_distinct([r.cells[c] if c < len(r.cells) else "" for r in rows[:count]]))
            for c in range(width)
        ]
        found: dict[int, str] = {}
        for c, text in enumerate(joined):
            for kind, pattern in COLUMNS:
                if pattern.search(text):
                    found[c] = kind
                    break
        kinds = set(found.values())
        if "text" in kinds and ("responsible" in kinds or "deadline" in kinds):
            header_rows, columns = count, found
            labels = {c: joined[c] for c in found}
            parties = {
                c: next((code for code, p in PARTY_WORDS.items() if p.search(joined[c])), None)
                for c, kind in found.items()
                if kind == "responsible"
            }
            # A further header row (the parties under a merged "Ответственные") comes next.
            if count < len(rows) and not _looks_like_data(rows[count], found):
                continue
            break
    if not columns:
        return None
    drafts: list[_Draft] = []
    number_col = next((c for c, k in columns.items() if k == "number"), None)
    text_col = next(c for c, k in columns.items() if k == "text")
    running = 0
    for row in rows[header_rows:]:
        cells = row.cells + [""] * (max(columns) + 1 - len(row.cells))
        distinct = _distinct(cells)
        number = cells[number_col].strip().rstrip(".") if number_col is not None else ""
        if len(distinct) == 1 and not CLAUSE.match(distinct[0] + " "):
            heading = distinct[0]
            m = ROMAN.match(heading)
            section = f"{m['num']}. {m['title'].strip()}" if m else heading
            continue
        if m := ROMAN.match(number + " x") if number else None:
            section = f"{m['num']}. {cells[text_col].strip()}"
            continue
        text = cells[text_col].strip()
        if not text:
            continue
        running += 1
        if not re.fullmatch(r"\d{1,3}(?:\.\d{1,3}){0,4}", number or ""):
            number = str(running)
        paragraphs = [p for p in text.split("\n") if p.strip()]
        for c, kind in columns.items():
            if kind == "form" and cells[c].strip():
                # In the document's language: the column's own header names it.
                paragraphs.append(f"{labels[c].strip()}: {cells[c].strip()}")
        draft = _Draft(clause=number, paragraphs=paragraphs, section=section)
        draft.cells = {
            "responsible": [
                (cells[c], parties.get(c)) for c, k in columns.items() if k == "responsible"
            ],
        }
        for c, kind in columns.items():
            if kind == "deadline":
                draft.deadline_text = cells[c].strip()
                draft.deadline_date = row.dates.get(c)
        drafts.append(draft)
    return drafts, section


def _looks_like_data(row: Block, columns: dict[int, str]) -> bool:
    number_col = next((c for c, k in columns.items() if k == "number"), None)
    if (
        number_col is not None
        and number_col < len(row.cells)
        and re.match(r"^\s*(\d|[IVX]+\.?\s*$)", row.cells[number_col])
    ):
        return True
    return len(_distinct(row.cells)) == 1


# One clause --------------------------------------------------------------------------


def _finish(draft: _Draft, matcher, sector_index, reference_year) -> ParsedClause:
    text = "\n\n".join(p.strip() for p in draft.paragraphs if p.strip())
    clause = ParsedClause(clause=draft.clause, text=text, section=draft.section)
    clause.sector = _sector(draft.section, sector_index) if draft.section else None
    clause.noted = bool(NOTED.match(text))
    found: list[Found] = []
    if draft.cells is not None:
        for cell, party in draft.cells["responsible"]:
            cell_found = matcher.find(cell, party_hint=party)
            found_here = [f for f in cell_found if f.agency is not None]
            roles = assign_roles(cell_found, party)
            clause.responsible += [_responsible(f, role) for f, role in roles]
            _warn_agencies(clause, cell_found, cell, matcher, whole_cell=not found_here)
        found = []
    else:
        found = matcher.find(text)
        clause.responsible = [_responsible(f, role) for f, role in assign_roles(found)]
        _warn_agencies(clause, found, text, matcher)
    _dedupe_roles(clause)
    _deadline(clause, draft, reference_year)
    clause.title = _title(text, found, clause.deadline_text)
    if clause.noted:
        # The agencies it names are the ones reporting, not executors.
        clause.responsible, clause.warnings = [], []
        clause.notes.append(
            _("Takes note only (no executor, no deadline): not imported as a commitment.")
        )
        return clause
    if len(text) > LONG_TEXT:
        clause.warnings.append(
            _(
                "The text is very long (%(n)s characters): check that two clauses have not "
                "run together."
            )
            % {"n": len(text)}
        )
    if not clause.noted and not clause.responsible:
        clause.warnings.append(_("No responsible agency was recognised."))
    return clause


def _responsible(found: Found, role: str) -> Responsible:
    return Responsible(
        agency_id=found.agency.id,
        agency=found.agency.label,
        party=found.agency.party,
        role=role,
        score=found.score,
        mention=found.mention,
    )


def _dedupe_roles(clause: ParsedClause) -> None:
    """Each agency once; one lead per party (a second becomes a co-executor)."""
    seen: set[int] = set()
    leads: set[str] = set()
    kept = []
    for r in clause.responsible:
        if r.agency_id in seen:
            continue
        seen.add(r.agency_id)
        if r.role == "lead":
            if r.party in leads:
                r.role = "co_executor"
            leads.add(r.party)
        kept.append(r)
    clause.responsible = kept


def _warn_agencies(clause, found, text, matcher, whole_cell: bool = False) -> None:
    for f in found:
        if f.agency is None:
            clause.warnings.append(
                _("“%(mention)s” may be any of %(agencies)s: pick one.")
                % {"mention": f.mention, "agencies": ", ".join(a.label for a in f.candidates)}
            )
    if whole_cell and text.strip() and not any(f.agency for f in found):
        if not any(f.agency is None for f in found):
            clause.warnings.append(
                _("Agency not recognised: “%(mention)s”.") % {"mention": text.strip()[:120]}
            )
        return
    spans = [(f.start, f.end) for f in found]
    words = list(re.finditer(r"[\w-]+", text))
    reported: list[int] = []
    for index, m in enumerate(words):
        if any(s <= m.start() < e for s, e in spans) or any(index < r for r in reported):
            continue
        word = m.group(0)
        is_head = lemma(word) in HEAD_NOUNS
        is_abbr = bool(ABBREVIATION.match(word)) and word.lower() not in NOT_AGENCIES
        if not (is_head or is_abbr):
            continue
        if is_head and index + 1 < len(words) and not words[index + 1].group(0)[:1].isalpha():
            continue
        stop = min(len(words), index + (10 if is_head else 2))
        if is_head:
            for later in range(index + 1, stop):
                if _is_verb(words[later].group(0)):
                    stop = later
                    break
        end = words[stop - 1].end()
        cut = re.search(r"[,;.:()]| совместно ", text[m.start() : end])
        mention = text[m.start() : m.start() + cut.start()] if cut else text[m.start() : end]
        if is_abbr and index + 1 < len(words) and words[index + 1].group(0).lower() in NOT_AGENCIES:
            mention = f"{word} {words[index + 1].group(0)}"
        clause.warnings.append(
            _("Agency not recognised: “%(mention)s”.") % {"mention": mention.strip()}
        )
        reported.append(stop)


def _is_verb(word: str) -> bool:
    from .agencies import _morph

    return "INFN" in _morph().parse(word.lower())[0].tag


def _deadline(clause: ParsedClause, draft: _Draft, reference_year) -> None:
    if clause.noted:
        return
    if draft.deadline_date is not None:
        clause.deadline = dl.Deadline(dl.DATE, draft.deadline_date)
        clause.deadline_text = draft.deadline_text
        return
    if draft.deadline_text:
        clause.deadline_text = draft.deadline_text
        clause.deadline = dl.parse_deadline(draft.deadline_text, reference_year)
    else:
        found = dl.find_in_sentence(clause.text, reference_year)
        if found:
            clause.deadline, clause.deadline_text = found
    if clause.deadline is None:
        if clause.deadline_text:
            clause.warnings.append(
                _("Deadline not understood: “%(text)s”. Choose it in the preview.")
                % {"text": clause.deadline_text}
            )
        else:
            clause.warnings.append(_("No deadline was found. Choose it in the preview."))
        return
    if clause.deadline.year_assumed:
        clause.warnings.append(
            _("No year in “%(text)s”: the session's year %(year)s was taken; check it.")
            % {"text": clause.deadline_text, "year": reference_year}
        )
    if clause.deadline.quarterly:
        clause.notes.append(_("Ongoing, reported every quarter."))


def _title(text: str, found: list[Found], deadline_text: str) -> str:
    """The clause's first sentence without the agencies it opens with, shortened."""
    first = text.split("\n")[0]
    lead_end = 0
    for f in found:
        between = first[lead_end : f.start] if f.start >= lead_end else "x"
        if f.start < len(first) and re.fullmatch(
            r"[\s,]*(?:и|совместно\s+со?|с\s+участием|при\s+участии|во?\s+взаимодействии\s+со?)?[\s,]*",
            between,
            re.I,
        ):
            lead_end = f.end
        else:
            break
    rest = first[lead_end:].strip(" ,;:")
    sentence = re.split(r"(?<=[.;])\s+", rest)[0].rstrip(".;")
    if deadline_text and deadline_text in sentence:
        sentence = sentence.replace(deadline_text, "").rstrip(" ,—–-")
        sentence = re.sub(r",?\s*(?:в\s+срок)\s*$", "", sentence).rstrip(" ,")
    sentence = sentence or first
    if len(sentence) > TITLE_LENGTH:
        sentence = sentence[:TITLE_LENGTH].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return sentence[:1].upper() + sentence[1:]


# Sectors -----------------------------------------------------------------------------


def _sector_index(sectors) -> list[tuple[str, list[list[str]]]]:
    index = []
    for sector in sectors:
        names = [lemmas(n) for n in sector.names if n]
        names += [[w] for w in SECTOR_HINTS.get(sector.code, [])]
        index.append((sector.code, [n for n in names if n]))
    return index


def _sector(heading: str, index) -> str | None:
    words = lemmas(heading)
    if not words:
        return None
    present = set(words)
    joined = " ".join(words)
    best, best_score = None, 0
    for code, names in index:
        for name in names:
            if set(name) <= present:
                score = 100 + len(name)
            else:
                score = fuzz.partial_ratio(" ".join(name), joined) if len(name) > 1 else 0
            if score > best_score:
                best, best_score = code, score
    return best if best_score >= 90 else None
