"""Filters of the commitment list; every filter is a URL parameter, so a list can be shared."""

from __future__ import annotations

import functools

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .fields import DateRangeField, IdChoiceField
from .models import Agency, Commitment, Council, Party, Responsibility, Sector, Session
from .paging import capped_count
from .policies import policy_for
from .querysets import DEADLINE_KEY, local_today, localized_values
from .search import commitments_found, few_ids
from .widgets import QuickSelect

# A deadline range of at most this many commitments is sorted, when the list is in an
# order by adoption, rather than found by walking the adoption index (``sorts_apart``):
# read from the deadline index alone (migration 0040), 100,000 sort in about 30 ms.
RANGE_SORTED_APART = 100_000
ADOPTION_SORTS = ("", "session", "-session")

OVERDUE = "overdue"
OPEN = "open"
# The "Show" filter: my commitments, or reported completions waiting for a review.
MINE = "mine"
AWAITING_REVIEW = "review"
PENDING_EXTENSION = "extensions"
# What a filter link from the dashboard reads (?scope=review): the review queue.
SCOPE_CHOICES = [
    (MINE, _("My commitments")),
    (AWAITING_REVIEW, _("Completions awaiting review")),
    (PENDING_EXTENSION, _("Extension requests awaiting decision")),
]


def _councils(request):
    return policy_for(request).councils() if request else Council.objects.none()


def _sessions(request):
    if request is None:
        return Session.objects.none()
    return (
        Session.objects.filter(council__in=policy_for(request).council_ids())
        .select_related("council")
        .order_by("council__short_name", "-number")
    )


def _session_choices(request) -> list[tuple[int, str]]:
    if request is None:
        return []
    rows = localized_values(
        Session.objects.filter(council__in=policy_for(request).council_ids()).order_by(
            "council__short_name", "-number"
        ),
        "pk",
        "number",
        names=("council__short_name", "council__name"),
    )
    label = gettext("%(council)s, session %(number)s")
    return [(pk, label % {"council": short or name, "number": n}) for pk, n, short, name in rows]


def _agencies(request):
    """Agencies of the parties of the councils the user may see (all for a manager): the
    filter offers no agency the user would not find on any of their pages."""
    if request is None:
        return Agency.objects.none()
    return policy_for(request).agencies()


def _agency_choices(request) -> list[tuple[int, str]]:
    rows = localized_values(
        _agencies(request).order_by("party__order", "name"),
        "pk",
        "party__code",
        names=("short_name", "name"),
    )
    return [(pk, Agency.label_of(short, name, code)) for pk, code, short, name in rows]


def _short_or_name(queryset) -> list[tuple[int, str]]:
    """(id, label) pairs as the model's ``__str__`` writes them: the short name, else the
    name, in the current language."""
    rows = localized_values(queryset, "pk", names=("short_name", "name"))
    return [(pk, short or name) for pk, short, name in rows]


def _choices(request) -> dict:
    """Each choice field's options as plain (id, label) pairs, by field name."""
    return {
        "council": lambda: _short_or_name(_councils(request)),
        "session": lambda: _session_choices(request),
        "sector": lambda: localized_values(Sector.objects.all(), "pk", names=("name",)),
        "party": lambda: _short_or_name(Party.objects.all()),
        "agency": lambda: _agency_choices(request),
    }


class CommitmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    scope = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=SCOPE_CHOICES,
        method="filter_scope",
        empty_label=_("All I may see"),
        help_text=_(
            "Mine: my agency's and the bodies under it, or my councils' for the secretariat."
        ),
    )
    council = django_filters.ModelChoiceFilter(
        label=_("Council"),
        field_name="council",
        queryset=_councils,
        empty_label=_("Any council"),
    )
    session = django_filters.ModelChoiceFilter(
        label=_("Session"), queryset=_sessions, empty_label=_("Any session")
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.all(), empty_label=_("Any sector")
    )
    party = django_filters.ModelChoiceFilter(
        label=_("Responsible party"),
        queryset=Party.objects.all(),
        method="filter_party",
        empty_label=_("Any party"),
    )
    agency = django_filters.ModelChoiceFilter(
        label=_("Responsible agency"),
        queryset=_agencies,
        method="filter_agency",
        empty_label=_("Any agency"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(OPEN, _("Open (not done)")), (OVERDUE, _("Overdue")), *Commitment.Status.choices],
        method="filter_status",
        empty_label=_("Any status"),
    )
    deadline = django_filters.DateFromToRangeFilter(
        method="filter_deadline",
        label=_("Deadline between"),
        widget=django_filters.widgets.DateRangeWidget(
            attrs={"type": "date", "class": "form-control form-control-sm"}
        ),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("deadline", "deadline"),
            ("session__start_date", "session"),
            ("status", "status"),
            ("title", "title"),
        ),
        empty_label=_("Adoption, newest first"),
        # The descending labels are given: django-filter formats its own "%s (descending)"
        # once, at import, so they stayed in English whatever the reader's language.
        field_labels={
            "deadline": _("Deadline"),
            "-deadline": _("Deadline, latest first"),
            "session__start_date": _("Session"),
            "-session": _("Session, newest first"),  # keyed by the parameter, not the field
            "status": _("Status"),
            "-status": _("Status, in reverse order"),
            "title": _("Title"),
            "-title": _("Title, Z to A"),
        },
    )

    class Meta:
        model = Commitment
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set while the rows are filtered, for ``sorts_apart``: a search's or an agency's
        # few commitments were found in their own index; the deadline range's, if any.
        self.found_few = False
        self.deadline_range = None

    @property
    def form(self):
        form = super().form
        if not getattr(form, "choices_written", False):
            # Choices as plain (id, label) pairs: hundreds of sessions and agencies built
            # as model instances cost more than the rest of the page. The fields still
            # validate against their querysets. Callables: computed only when the form is
            # drawn (not for htmx results), and cached: the widget reads them twice (the
            # required check, then the options).
            for name, options in _choices(self.request).items():
                field = form.fields[name]
                field.choices = functools.cache(
                    lambda empty=field.empty_label, options=options: [("", empty), *options()]
                )
            form.choices_written = True
        return form

    def sorts_apart(self) -> bool:
        """Whether the list sorts the rows its filters found instead of walking its sort's
        index to them (``paging.Ordering.apart``): a search's or an agency's few
        commitments, in any order; a deadline range of at most ``RANGE_SORTED_APART`` in an order by
        adoption, whose walk from the newest session reaches the range only near the
        sessions that set its deadlines."""
        self.qs  # noqa: B018 — filtering is what sets what is read here
        if self.found_few:
            return True
        if self.deadline_range is None or self.ordering_name() not in ADOPTION_SORTS:
            return False
        return not capped_count(self.deadline_range, RANGE_SORTED_APART)[1]

    def ordering_name(self) -> str:
        """The chosen sort (``deadline``, ``-title``…), or "" for the default; the view
        pages by it (the OrderingFilter's own ORDER BY is replaced there)."""
        chosen = (
            self.form.cleaned_data.get("ordering") if self.is_bound and self.is_valid() else None
        )
        return chosen[0] if chosen else ""

    def filter_text(self, queryset, name, value):
        found, few = commitments_found(queryset, value)
        self.found_few |= few
        return found

    def filter_scope(self, queryset, name, value):
        """Mine as the dashboard counts them (``Policy.only_mine``); awaiting review: a
        manager's queue, or my reported completions not reviewed yet
        (``Policy.awaiting_review``)."""
        policy = policy_for(self.request)
        if value == MINE:
            return policy.only_mine(queryset)
        if value == AWAITING_REVIEW:
            return policy.awaiting_review(queryset)
        if value == PENDING_EXTENSION:
            return policy.with_pending_extension(queryset)
        return queryset

    def active_count(self) -> int:
        """How many filters are set (the sort is not a filter), for the folded filters'
        button on a phone."""
        if not self.is_bound:
            return 0
        data = self.form.data
        return sum(
            1
            for name in self.filters
            if name != "ordering"
            and any(
                str(value).strip()
                for key in (name, f"{name}_after", f"{name}_before")
                for value in data.getlist(key)
            )
        )

    def filter_party(self, queryset, name, value):
        responsible = Responsibility.objects.filter(commitment=OuterRef("pk"), party=value)
        return queryset.filter(Exists(responsible))

    def filter_deadline(self, queryset, name, value):
        """The deadline in the range, said twice: on the column, and on the deadline as
        the list sorts it (``DEADLINE_KEY``, the same date for a dated deadline), so
        the sort's index reads the range instead of walking to it (a year of 2020
        came 130,000 entries into the index at a million: 0.2 s)."""
        if not value:
            return queryset
        bounds = {}
        if value.start is not None:
            bounds["gte"] = value.start
        if value.stop is not None:
            bounds["lte"] = value.stop
        on_column = {f"deadline__{lookup}": day for lookup, day in bounds.items()}
        on_key = {f"deadline_in_range__{lookup}": day for lookup, day in bounds.items()}
        # The range alone, for ``sorts_apart`` to count.
        self.deadline_range = Commitment.objects.order_by().filter(**on_column)
        return queryset.alias(deadline_in_range=DEADLINE_KEY).filter(**on_column, **on_key)

    def filter_agency(self, queryset, name, value):
        # An agency responsible for few commitments: their ids, read from the agency's
        # index. The "exists" below walks the sort's index to the end of the list to be
        # sure no row is left: an agency of 190 commitments, by deadline, on its last
        # page, read a million entries (0.8 s).
        few = few_ids(
            Responsibility.objects.filter(agency=value)
            .order_by()
            .values_list("commitment_id", flat=True)
        )
        if few is not None:
            self.found_few = True
            return queryset.filter(pk__in=few)
        responsible = Responsibility.objects.filter(commitment=OuterRef("pk"), agency=value)
        return queryset.filter(Exists(responsible))

    def filter_status(self, queryset, name, value):
        if value == OVERDUE:
            return queryset.overdue(today=local_today())
        if value == OPEN:
            return queryset.open()
        return queryset.filter(status=value)


# A deadline range refuses a first date after the second (instead of listing nothing).
CommitmentFilter.base_filters["deadline"].field_class = DateRangeField

# Every choice of a row by id (council, session, sector, party, agency, and any added
# later) refuses an impossible id with the form's error instead of asking the database.
for _filter in CommitmentFilter.base_filters.values():
    if isinstance(_filter, django_filters.ModelChoiceFilter):
        _filter.field_class = IdChoiceField

# Hundreds of sessions and agencies: options written without a template include each.
for _filter in CommitmentFilter.base_filters.values():
    if isinstance(_filter, django_filters.ChoiceFilter | django_filters.ModelChoiceFilter):
        _filter.extra.setdefault("widget", QuickSelect)
