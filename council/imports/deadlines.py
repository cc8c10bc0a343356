"""Deadlines as protocols write them, in Russian (and the common Kazakh and Kyrgyz forms).

``parse_deadline(text)`` reads a deadline phrase ("до 1 июня 2027 года", "IV квартал
2027 года", "на постоянной основе"…) and returns a ``Deadline``, or ``None`` when it does
not understand it: an unknown form is reported, never guessed. ``find_deadline(text)``
looks for such a phrase inside a sentence ("…, в срок до 1 июня 2027 года.").
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field

DATE = "date"
NEXT_SESSION = "next_session"
ONGOING = "ongoing"


@dataclass(frozen=True)
class Deadline:
    kind: str  # "date", "next_session" or "ongoing"
    date: datetime.date | None = None
    quarterly: bool = False  # "ежеквартально": ongoing, reported every quarter
    year_assumed: bool = False  # no year written: the reference year was used
    notes: tuple[str, ...] = field(default=())

    def as_json(self) -> dict:
        if self.kind == DATE:
            return {"kind": DATE, "date": self.date.isoformat()}
        return {"kind": self.kind}


# Month stems: Russian (all cases), Kazakh, Kyrgyz (Russian-derived with suffixes).
MONTHS: list[tuple[int, str]] = [
    (1, r"январ[а-яё]*|қаңтар[а-яёәіңғүұқөһ]*"),
    (2, r"феврал[а-яё]*|ақпан[а-яёәіңғүұқөһ]*"),
    (3, r"март[а-яё]*|наурыз[а-яёәіңғүұқөһ]*"),
    (4, r"апрел[а-яё]*|сәуір[а-яёәіңғүұқөһ]*"),
    (5, r"ма[йяею][а-яё]*|мамыр[а-яёәіңғүұқөһ]*"),
    (6, r"июн[а-яёүө]*|маусым[а-яёәіңғүұқөһ]*"),
    (7, r"июл[а-яёүө]*|шілде[а-яёәіңғүұқөһ]*"),
    (8, r"август[а-яёүө]*|тамыз[а-яёәіңғүұқөһ]*"),
    (9, r"сентябр[а-яёүө]*|қыркүйек[а-яёәіңғүұқөһ]*"),
    (10, r"октябр[а-яёүө]*|қазан[а-яёәіңғүұқөһ]*"),
    (11, r"ноябр[а-яёүө]*|қараша[а-яёәіңғүұқөһ]*"),
    (12, r"декабр[а-яёүө]*|желтоқсан[а-яёәіңғүұқөһ]*"),
]
MONTH_RE = "|".join(f"(?:{stem})" for _, stem in MONTHS)
_MONTH_LOOKUP = [(number, re.compile(rf"^(?:{stem})$")) for number, stem in MONTHS]

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
WORD_ORDINALS = {
    "перв": 1,
    "втор": 2,
    "трет": 3,
    "четв": 4,
    "1-": 1,
    "2-": 2,
    "3-": 3,
    "4-": 4,
}
YEAR = r"(?P<year>(?:19|20)\d\d)"
YEAR_WORD = r"(?:\s*-?\s*(?:года|году|год|гг?\.?|г\b|жыл[а-яәіңғүұқөһ]*))?"

_NEXT_SESSION = re.compile(
    r"следующ\w*\s+(?:заседани|сесси)\w*|очередн\w*\s+(?:заседани|сесси)\w*"
    r"|келесі\s+отырыс\w*|кийинки\s+(?:жыйын|отурум)\w*",
    re.IGNORECASE,
)
_QUARTERLY = re.compile(r"ежеквартальн\w*|тоқсан\s+сайын|ар\s+чейрек\w*|чейрек\s+сайын", re.I)
_ONGOING = re.compile(
    r"на\s+постоянной\s+основе|постоянн\w*|в\s+постоянном\s+режиме|регулярно"
    r"|тұрақты\s+негізде|тұрақты|туруктуу\s+негизде|туруктуу",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"(?<!\d)(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>(?:19|20)\d\d)(?!\d)")
_ISO_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")
# "1 июня 2027 года"; Kazakh "2027 жылғы 1 маусым"; Kyrgyz "2027-жылдын 1-июнуна".
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\s*-?\s*(?P<month>{MONTH_RE})\s+{YEAR}", re.IGNORECASE
)
_YEAR_DAY_MONTH = re.compile(
    rf"{YEAR}\s*-?\s*(?:жылғы|жылдын|жылы|ж\.)\s+(?P<day>\d{{1,2}})\s*-?\s*(?P<month>{MONTH_RE})",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(rf"(?<![\w\d])(?P<month>{MONTH_RE})\s+{YEAR}", re.IGNORECASE)
_YEAR_MONTH = re.compile(
    rf"{YEAR}\s*-?\s*(?:жылғы|жылдын|жылы)\s+(?P<month>{MONTH_RE})", re.IGNORECASE
)
_QUARTER = re.compile(
    r"(?<!\w)(?P<q>IV|III|II|I|[1-4](?:-?(?:й|го|м|ом))?|перв\w*|втор\w*|трет\w*|четв[её]рт\w*)"
    r"\s+(?:квартал|тоқсан|чейрек)\w*(?:\s+(?:\w+\s+)?(?P<year>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
_HALF = re.compile(
    r"(?<!\w)(?P<h>II|I|[12](?:-?(?:е|ое|м|ом|го))?|перв\w*|втор\w*)\s+"
    r"(?:полугоди|жарты\s+жыл|жарым\s+жыл)\w*(?:\s+(?:\w+\s+)?(?P<year>(?:19|20)\d\d))?",
    re.IGNORECASE,
)
_END_OF_YEAR = re.compile(
    r"(?:до\s+)?(?:конца|окончания|исхода)\s+(?:(?P<year>(?:19|20)\d\d)|(?:текущего\s+)?года)"
    r"|(?P<year2>(?:19|20)\d\d)\s*-?\s*жыл\w*\s+соңына\s+дейін"
    r"|(?P<year3>(?:19|20)\d\d)\s*-?\s*жыл\w*\s+аягына\s+чейин",
    re.IGNORECASE,
)
_YEAR_ONLY = re.compile(
    rf"(?:в\s+(?:течение\s+)?)?(?<!\d){YEAR}\s*(?:года|году|год|г\.|г\b|жыл\w*)", re.IGNORECASE
)


def month_number(word: str) -> int | None:
    word = word.lower()
    for number, pattern in _MONTH_LOOKUP:
        if pattern.match(word):
            return number
    return None


def _ordinal(token: str) -> int | None:
    token = token.lower()
    if token in ROMAN:
        return ROMAN[token]
    if token[:1].isdigit():
        return int(token[0])
    for stem, number in WORD_ORDINALS.items():
        if token.startswith(stem):
            return number
    return None


def _end_of_month(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _dated(date: datetime.date | None, *, assumed: bool = False) -> Deadline | None:
    if date is None:
        return None
    return Deadline(DATE, date, year_assumed=assumed)


def _search(text: str, reference_year: int | None) -> tuple[Deadline | None, bool]:
    """The deadline a phrase states; the flag says a date-like phrase was seen but did not
    make a real date (31 June)."""
    if _NEXT_SESSION.search(text):
        return Deadline(NEXT_SESSION), False
    if _QUARTERLY.search(text):
        return Deadline(ONGOING, quarterly=True), False
    for pattern in (_NUMERIC_DATE, _ISO_DATE):
        if m := pattern.search(text):
            date = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
            return _dated(date), date is None
    for pattern in (_DAY_MONTH_YEAR, _YEAR_DAY_MONTH):
        if m := pattern.search(text):
            month = month_number(m["month"])
            date = _safe_date(int(m["year"]), month, int(m["day"])) if month else None
            return _dated(date), date is None
    if m := _END_OF_YEAR.search(text):
        year = m["year"] or m["year2"] or m["year3"]
        if year:
            return Deadline(DATE, datetime.date(int(year), 12, 31)), False
        if reference_year:
            return Deadline(DATE, datetime.date(reference_year, 12, 31), year_assumed=True), False
        return None, False
    if m := _QUARTER.search(text):
        quarter = _ordinal(m["q"])
        year = int(m["year"]) if m["year"] else reference_year
        if quarter and year:
            return Deadline(
                DATE, _end_of_month(year, quarter * 3), year_assumed=not m["year"]
            ), False
        return None, False
    if m := _HALF.search(text):
        half = _ordinal(m["h"])
        year = int(m["year"]) if m["year"] else reference_year
        if half in (1, 2) and year:
            return Deadline(DATE, _end_of_month(year, half * 6), year_assumed=not m["year"]), False
        return None, False
    for pattern in (_MONTH_YEAR, _YEAR_MONTH):
        if m := pattern.search(text):
            month = month_number(m["month"])
            if month:
                return Deadline(DATE, _end_of_month(int(m["year"]), month)), False
    if m := _YEAR_ONLY.search(text):
        return Deadline(DATE, datetime.date(int(m["year"]), 12, 31)), False
    if _ONGOING.search(text):
        return Deadline(ONGOING), False
    return None, False


def parse_deadline(text: str, reference_year: int | None = None) -> Deadline | None:
    """The deadline stated by ``text`` (a "Срок" line or cell), or None if not understood.

    ``reference_year`` (the session's year) completes "до конца года" and "IV квартал"
    written without a year; the result then says ``year_assumed`` so the preview warns."""
    text = " ".join((text or "").replace("\xa0", " ").split())
    if not text:
        return None
    return _search(text, reference_year)[0]


DEADLINE_LINE = re.compile(
    r"^\s*(?:срок\w*(?:\s+(?:исполнения|выполнения|реализации))?|мерзімі|мөөнөтү)"
    r"(?:\s*[-–—:]\s*|\s+(?=до\b|к\b|не\s+позднее|в\s+течение))(?P<value>.+?)\s*$",
    re.IGNORECASE | re.DOTALL,
)
_IN_SENTENCE = re.compile(
    r"(?:(?:в\s+)?срок\w*\s+(?:до|не\s+позднее)|(?<!\w)(?:до|к|не\s+позднее))\s+[^.;]*$"
    r"|(?:на\s+постоянной\s+основе|ежеквартально|постоянно)[^.;]*$",
    re.IGNORECASE,
)


def deadline_line(paragraph: str) -> str | None:
    """The value of a "Срок – …" line, or None if the paragraph is not one."""
    m = DEADLINE_LINE.match(paragraph or "")
    return m["value"].strip().rstrip(".").strip() if m else None


def find_in_sentence(text: str, reference_year: int | None = None) -> tuple[Deadline, str] | None:
    """A deadline stated at the end of a clause's last sentence ("…, в срок до 1 июня
    2027 года."), with the phrase found; None if the last sentence states none."""
    body = (text or "").strip().rstrip(".").strip()
    last = re.split(r"(?<=[.;])\s+", body)[-1] if body else ""
    m = _IN_SENTENCE.search(last)
    if not m:
        return None
    phrase = m.group(0).strip(" ,")
    if len(phrase.split()) > 8 or re.search(r"\s(?:и|а|также)\s", phrase):
        return None  # the sentence goes on after the date: not a deadline phrase
    found = parse_deadline(phrase, reference_year)
    return (found, phrase) if found else None
