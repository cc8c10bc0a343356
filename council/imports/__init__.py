"""Reading signed protocols and plans of measures (.docx, .xlsx, .csv) into clauses.

Parsing only: nothing here writes to the database. ``council.services.imports`` builds
the matcher from the reference data, compares the clauses with what a session already
records and saves them through the commitment services."""

from .agencies import AgencyMatcher, AgencyRef
from .deadlines import Deadline, parse_deadline
from .files import ImportFileError
from .parser import ParsedClause, ParseResult, Responsible, SectorRef, parse

__all__ = [
    "AgencyMatcher",
    "AgencyRef",
    "Deadline",
    "ImportFileError",
    "ParseResult",
    "ParsedClause",
    "Responsible",
    "SectorRef",
    "parse",
    "parse_deadline",
]
