"""Keyset ("cursor") pages for long lists.

A numbered page N costs the database N × page size rows (OFFSET), and a full COUNT(*)
costs every matching row: at a million commitments both grow without bound. A keyset
page asks for the rows after (or before) the last row the user saw, in an order the
indexes serve, so page 1 and page 900 cost the same. The total is counted up to a cap.

Cursors are signed, so a link cannot be edited into an arbitrary SQL comparison; an
unreadable one (old, truncated) falls back to the first page instead of failing.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import connection
from django.db.models import Expression, F, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.db.models.functions import Coalesce

SALT = "council.paging"
APART = "sorted_apart"  # the first key of an ``Ordering.apart``


@dataclass(frozen=True)
class Key:
    """One sort key: a field path or an annotation name, and how its values travel."""

    name: str
    kind: type = int  # int, str or datetime.date


@dataclass(frozen=True)
class Ordering:
    """A total order for a list: keys, all ascending or all descending except ``mixed``.

    ``descending`` holds one flag per key. When every flag is the same, the condition is a
    row comparison ``(a, b, id) > (x, y, z)``, which PostgreSQL answers with one range of
    a composite index; otherwise it is spelled out as ORs.
    """

    keys: tuple[Key, ...]
    descending: tuple[bool, ...]
    annotations: tuple[tuple[str, Expression], ...] = ()

    def reversed(self) -> Ordering:
        return Ordering(self.keys, tuple(not d for d in self.descending), self.annotations)

    def apart(self) -> Ordering:
        """The same order, said so that no index serves it: PostgreSQL then reads the
        rows the filter's own index finds and sorts them, instead of walking the sort's
        index and discarding the rows that do not match. The planner expects matches
        spread evenly through that walk; a deadline range sorted by adoption sits near
        its end (723,000 entries read for a page of 2020's deadlines at a million:
        0.4 s). The cursor's comparison is said the same way, or the planner would read
        it as a range of that index. ``COALESCE(x, x)`` is ``x`` (every key is set), but
        no index is built on it; cursors stay valid, the values being the same."""
        first = self.keys[0]
        return Ordering(
            (Key(APART, first.kind), *self.keys[1:]),
            self.descending,
            (*self.annotations, (APART, Coalesce(F(first.name), F(first.name)))),
        )

    def order_by(self) -> list:
        return [F(k.name).desc() if d else F(k.name).asc() for k, d in self.ordering_pairs]

    @property
    def ordering_pairs(self):
        return zip(self.keys, self.descending, strict=True)

    def after(self, values: list) -> Q | Expression:
        """Rows strictly after ``values`` in this order."""
        if len(set(self.descending)) == 1:
            lookup = TupleLessThan if self.descending[0] else TupleGreaterThan
            return lookup(Tuple(*(F(k.name) for k in self.keys)), tuple(values))
        condition = Q()
        equal: dict[str, Any] = {}
        for (key, descending), value in zip(self.ordering_pairs, values, strict=True):
            step = {f"{key.name}__{'lt' if descending else 'gt'}": value}
            condition |= Q(**equal, **step)
            equal[key.name] = value
        # The ORs are no index range; a bound on the first key is, and leaves the ORs to
        # sift only the rows that share the cursor's first value.
        first, descending = self.keys[0], self.descending[0]
        return Q(**{f"{first.name}__{'lte' if descending else 'gte'}": values[0]}) & condition

    def values_of(self, row) -> list:
        values = []
        for key in self.keys:
            value = row
            for part in key.name.split("__"):
                value = getattr(value, part)
            values.append(value)
        return values


@dataclass
class KeysetPage:
    object_list: list
    has_next: bool
    has_previous: bool
    next_cursor: str | None
    previous_cursor: str | None
    start_index: int | None  # 1-based position of the first row, when known
    count: int  # matching rows, counted up to ``count_cap``
    count_capped: bool  # more rows match than were counted
    size: int = 0  # rows a page holds (0: unknown)

    @property
    def end_index(self) -> int | None:
        if self.start_index is None:
            return None
        return self.start_index + len(self.object_list) - 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def show_first(self) -> bool:
        """Whether "First" is a page of its own: not when "Previous" already goes there."""
        if not self.has_previous:
            return False
        if self.start_index is None or not self.size:
            return True
        return self.start_index - self.size > 1

    @property
    def show_last(self) -> bool:
        """Whether "Last" is a page of its own: not when "Next" already goes there (pages
        are cut from the first row, and the last page is the rest: see ``keyset_page``)."""
        if not self.has_next:
            return False
        if self.count_capped or self.end_index is None or not self.size:
            return True
        return self.end_index + self.size < self.count


def capped_count(queryset: QuerySet, cap: int) -> tuple[int, bool]:
    """Count matching rows, but stop at ``cap`` + 1: (count, more than cap)."""
    counted = queryset.order_by().values("pk")[: cap + 1].count()
    return min(counted, cap), counted > cap


def encode(
    ordering_name: str, values: list, start: int | None, count: tuple[int, bool] | None = None
) -> str:
    """A cursor: the sort key of a row, the position it leads to and, so that following
    pages need not count again, the (capped) count of the first page."""
    plain = [v.isoformat() if isinstance(v, datetime.date) else v for v in values]
    return signing.dumps(
        [ordering_name, plain, start, list(count) if count else None], salt=SALT, compress=True
    )


def decode(
    cursor: str, ordering_name: str, ordering: Ordering
) -> tuple[list, int | None, tuple[int, bool] | None]:
    """The key values, start index and count carried by ``cursor``; ValueError if unusable."""
    try:
        name, plain, start, count = signing.loads(cursor, salt=SALT)
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise ValueError("unreadable cursor") from error
    if name != ordering_name or len(plain) != len(ordering.keys):
        raise ValueError("cursor of another ordering")
    values = []
    for key, value in zip(ordering.keys, plain, strict=True):
        if key.kind is datetime.date:
            value = datetime.date.fromisoformat(value)
        elif not isinstance(value, key.kind):
            raise ValueError("cursor value of the wrong type")
        values.append(value)
    if start is not None and not isinstance(start, int):
        raise ValueError("cursor start of the wrong type")
    if count is not None:
        if not (isinstance(count, list) and len(count) == 2 and isinstance(count[0], int)):
            raise ValueError("cursor count of the wrong type")
        count = (count[0], bool(count[1]))
    return values, start, count


# Up to this many groups are read one by one (each part costs a millisecond or so: for a
# focal point's 25 councils the parts cost more than the walk they save).
MOST_GROUPS = 10


def first_rows(rows: QuerySet, n: int, groups: tuple[str, Collection[int]] | None) -> list:
    """The first ``n`` of ``rows``. With ``groups``, the first ``n`` ids of each group
    (one UNION ALL), then the first ``n`` of those: the rows of a few councils sorted
    by deadline are scattered through the whole deadline index (a secretariat's 5
    councils of 40 walked 150,000 entries of it for one page at a million), while each
    council's own index starts at its first row. PostgreSQL (SQLite cannot order the
    parts of a union)."""
    field, values = groups or ("", ())
    if not 2 <= len(values) <= MOST_GROUPS or connection.vendor != "postgresql":
        return list(rows[:n])
    texts, params = [], []
    for value in sorted(values):
        part = rows.filter(**{field: value}).values_list("pk", flat=True)[:n]
        text, part_params = part.query.get_compiler(connection=connection).as_sql()
        texts.append(f"({text})")
        params += part_params
    with connection.cursor() as cursor:
        # Django's union wants every ordering key selected; plain SQL keeps each part's.
        cursor.execute(" UNION ALL ".join(texts), params)
        ids = [row[0] for row in cursor.fetchall()]
    return list(rows.filter(pk__in=ids)[:n])


def keyset_page(
    queryset: QuerySet,
    ordering: Ordering,
    *,
    ordering_name: str,
    size: int,
    after: str | None = None,
    before: str | None = None,
    last: bool = False,
    count_cap: int = 10_000,
    groups: tuple[str, Collection[int]] | None = None,
    sort_apart: bool = False,
) -> KeysetPage:
    """One page of ``queryset`` in ``ordering``: the first, the one after or before a
    cursor, or the last. A cursor that cannot be read gives the first page.

    ``groups`` (a field and its values, e.g. the few councils a secretariat sees): the
    rows are read per group, each from its own index, and merged (``first_rows``).
    ``sort_apart``: the filter bounds the rows to a set its own index reads, sorted
    rather than found by walking the sort's index (``Ordering.apart``)."""
    sort_apart = sort_apart and connection.vendor == "postgresql"
    if sort_apart:
        ordering = ordering.apart()
    if ordering.annotations:
        queryset = queryset.annotate(**dict(ordering.annotations))
    backwards = False
    start: int | None = 1
    condition = None
    counted = None
    try:
        if after:
            values, start, counted = decode(after, ordering_name, ordering)
            condition = ordering.after(values)
        elif before:
            values, start, counted = decode(before, ordering_name, ordering)
            condition = ordering.reversed().after(values)
            backwards = True
        elif last:
            backwards = True
            start = None
    except ValueError:
        start, condition, backwards, counted = 1, None, False, None
    # The first page counts; the pages after it carry that count in their cursors (a
    # row added meanwhile shows on the next first page, as in any paged list).
    count, capped = counted or capped_count(queryset, count_cap)
    order = ordering.reversed() if backwards else ordering
    rows = queryset.order_by(*order.order_by())
    if condition is not None:
        rows = rows.filter(condition)
    # The last page holds what is left after whole pages from the first row, so it is the
    # page "Next" leads to as well, never overlapping the page before it (or the first).
    take = (count - 1) % size + 1 if last and not capped and count and start is None else size
    if sort_apart:
        # The page's ids, sorted apart (a subquery with its own LIMIT, planned on its
        # own); then its rows by id, with no cursor condition (PostgreSQL estimates a
        # cursor among many equal keys as nearly empty, and would walk the index it
        # matches).
        ids = rows.values_list("pk", flat=True)[: take + 1]
        fetched = list(queryset.filter(pk__in=ids).order_by(*order.order_by()))
    else:
        fetched = first_rows(rows, take + 1, groups)
    more = len(fetched) > take
    items = fetched[:take]
    if backwards:
        items.reverse()
        has_previous, has_next = more, bool(before)
    else:
        has_previous, has_next = bool(after) and condition is not None, more
    if last and not capped:
        start = max(1, count - len(items) + 1)
    elif start is not None and backwards and not more:
        start = 1  # "Previous" reached the beginning early (rows were added)
    next_cursor = previous_cursor = None
    if items and has_next:
        following = start + len(items) if start is not None else None
        next_cursor = encode(
            ordering_name, ordering.values_of(items[-1]), following, (count, capped)
        )
    if items and has_previous:
        preceding = max(1, start - size) if start is not None else None
        previous_cursor = encode(
            ordering_name, ordering.values_of(items[0]), preceding, (count, capped)
        )
    return KeysetPage(
        object_list=items,
        has_next=has_next,
        has_previous=has_previous,
        next_cursor=next_cursor,
        previous_cursor=previous_cursor,
        start_index=start if items else None,
        count=count,
        count_capped=capped,
        size=size,
    )
