"""Search that understands Russian.

On PostgreSQL a word matches its inflected forms (the ``russian`` text-search
configuration stems both the text and the query: "дорожной карты" finds "Дорожная
карта"), the last word also as the start of a word (someone is still typing), through GIN
indexes on the same expressions (migration 0019), so a search over a million
commitments reads only the matching rows. SQLite, the demo's database, matches
substrings with a case fold that knows every script (see ``council.sqlite``).
"""

import json
import re

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorExact,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Exists, Expression, OuterRef, Q, QuerySet
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from .models import CommitmentVersion

CONFIG = "russian"
CLAUSE = re.compile(r"\d+(?:\.\d+)*\.?")
WORD = re.compile(r"\w+")
MAX_WORDS = 12
# Up to this many matches a search reads their ids first (see ``commitments_matching``).
FEW_MATCHES = 5_000
# A search the statistics say matches more than this many is common: its rows are dense in
# any order, and reading its first matches first would only cost time.
COMMON = 5 * FEW_MATCHES


def full_text() -> bool:
    return connection.vendor == "postgresql"


class StoredDocument(Expression):
    """A commitment's search document as stored beside it (migration 0035: its title and
    text, stemmed, kept by a trigger; GIN-indexed). Not a model field, so that history,
    fixtures and the API never carry it; PostgreSQL only."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name(alias)}.search_document", []


def commitment_document() -> StoredDocument:
    return StoredDocument()


def matches(query: SearchQuery) -> SearchVectorExact:
    """The condition "the commitment's title or text has these words"."""
    return SearchVectorExact(commitment_document(), query)


def version_document() -> SearchVector:
    """The expression the commitment versions' search index is built on (migration
    0021): keep them identical."""
    return SearchVector("title", "text", config=CONFIG)


def _live_versions():
    return CommitmentVersion.objects.filter(commitment=OuterRef("pk"), withdrawn_at__isnull=True)


def report_document() -> SearchVector:
    return SearchVector("note", config=CONFIG)


def words(value: str) -> list[str]:
    return WORD.findall(value)[:MAX_WORDS]


def query_for(value: str) -> SearchQuery | None:
    """Every word, stemmed; the last one also as a prefix. ``None`` when no word is left."""
    found = words(value)
    if not found:
        return None
    terms = [f"'{word}'" for word in found[:-1]] + [f"'{found[-1]}':*"]
    return SearchQuery(" & ".join(terms), search_type="raw", config=CONFIG)


def commitments_matching(queryset: QuerySet, value: str) -> QuerySet:
    """The commitments whose title or text match, as recorded or in any of its versions
    (a Kazakh word finds the clause whose Kazakh text has it); a clause number ("2.1")
    matches the clause itself."""
    return commitments_found(queryset, value)[0]


def commitments_found(queryset: QuerySet, value: str) -> tuple[QuerySet, bool]:
    """The matching commitments, and whether they are few (at most ``FEW_MATCHES``, read
    by id, or a clause number, once in a session: cheap to rank or sort)."""
    value = value.strip()
    if not value:
        return queryset, False
    if CLAUSE.fullmatch(value):
        return queryset.filter(clause=value.rstrip(".")), True
    if not full_text():
        in_versions = _live_versions().filter(Q(title__icontains=value) | Q(text__icontains=value))
        return queryset.filter(
            Q(title__icontains=value) | Q(text__icontains=value) | Exists(in_versions)
        ), True
    query = query_for(value)
    if query is None:
        return queryset.none(), True
    recorded, in_versions = id_queries(queryset.model, query)
    # A list sorted by an index walks it, discarding the rows that do not match: a rare or
    # absent word would be read through the whole index (seconds at a million), and
    # PostgreSQL underestimates how far. So unless the statistics say the words are
    # common (their rows dense in any order), the matches are read from the two
    # full-text indexes first (each alone: an OR with a subquery would leave the
    # commitment index unused), and when they are few they bound the list.
    every = queryset.filter(Q(matches(query)) | Q(pk__in=in_versions))
    if estimated_matches(queryset.model, value) > COMMON:
        return every, False
    few = few_ids(recorded, in_versions)
    if few is not None:
        return queryset.filter(pk__in=few), True
    return every, False


def few_ids(*id_queries: QuerySet) -> set[int] | None:
    """The ids the queries find, read from their indexes, when they are at most
    ``FEW_MATCHES``; None when there are more (never reading more than one over each)."""
    found = set().union(*(set(ids[: FEW_MATCHES + 1]) for ids in id_queries))
    return found if len(found) <= FEW_MATCHES else None


def estimated_matches(model, value: str) -> int:
    """The planner's estimate of the commitments whose recorded text has every word of
    ``value``, the last one as written rather than as a prefix (which matches at least as
    many). ANALYZE keeps the frequency of the stored documents' most common stems; a word
    not among them, or a table not yet analysed, is estimated rare."""
    exact = " & ".join(f"'{word}'" for word in words(value))
    plan = (
        model._base_manager.order_by()
        .filter(matches(SearchQuery(exact, search_type="raw", config=CONFIG)))
        .explain(format="json")
    )
    return int(json.loads(plan)[0]["Plan"]["Plan Rows"])


def id_queries(model, query: SearchQuery) -> tuple[QuerySet, QuerySet]:
    """The ids of the commitments whose recorded text matches, and of those whose live
    version in another language matches: each read from its own full-text index."""
    recorded = model._base_manager.order_by().filter(matches(query)).values_list("pk", flat=True)
    in_versions = (
        CommitmentVersion.objects.order_by()
        .filter(withdrawn_at__isnull=True)
        .annotate(document=version_document())
        .filter(document=query)
        .values_list("commitment_id", flat=True)
    )
    return recorded, in_versions


def ranked_commitments(queryset: QuerySet, value: str) -> tuple[QuerySet, bool]:
    """Matching commitments, best first, and whether they are (newest first on SQLite,
    and when more than ``FEW_MATCHES`` match: ranking them would read every one, a
    second at a million commitments)."""
    matching, few = commitments_found(queryset, value)
    query = query_for(value.strip())
    if full_text() and few and query is not None and not CLAUSE.fullmatch(value.strip()):
        ranked = matching.annotate(rank=SearchRank(commitment_document(), query))
        return ranked.order_by("-rank", "-pk"), True
    return matching.order_by("-pk"), False


def reports_matching(queryset: QuerySet, value: str) -> QuerySet:
    """Progress reports whose note matches: when they are few, read by id from the
    full-text index first, so that a list sorted by date does not walk every report of
    the archive discarding them (as for commitments)."""
    value = value.strip()
    if not value:
        return queryset.none()
    if not full_text():
        return queryset.filter(note__icontains=value)
    query = query_for(value)
    if query is None:
        return queryset.none()
    few = few_ids(report_ids(queryset.model, query))
    if few is not None:
        return queryset.filter(pk__in=few)
    return queryset.annotate(document=report_document()).filter(document=query)


def report_ids(model, query: SearchQuery) -> QuerySet:
    """The ids of the progress reports whose note matches, read from its full-text index."""
    return (
        model._base_manager.order_by()
        .annotate(document=report_document())
        .filter(document=query)
        .values_list("pk", flat=True)
    )


def snippet(text: str, value: str, width: int = 90) -> SafeString:
    """An escaped excerpt of ``text`` around the first word that matches, the matching
    words marked. A word matches by its start (its first letters, less an inflected
    ending), as the stemmed search found it."""
    stems = [word[: max(3, len(word) - 2)].casefold() for word in words(value)]
    text = text or ""
    if not stems:
        return conditional_escape(text[: width * 2])
    pattern = re.compile(
        r"\b(?:" + "|".join(re.escape(stem) for stem in stems) + r")\w*", re.IGNORECASE
    )
    first = pattern.search(text)
    start = max(0, (first.start() if first else 0) - width)
    excerpt = text[start : start + width * 2]
    html = SafeString("… " if start else "")
    last = 0
    for match in pattern.finditer(excerpt):
        html += conditional_escape(excerpt[last : match.start()])
        html += format_html("<mark>{}</mark>", match.group())
        last = match.end()
    html += conditional_escape(excerpt[last:])
    return html + SafeString(" …" if start + width * 2 < len(text) else "")
