"""Filters of the commitment list; every filter is a URL parameter, so a list can be shared."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .models import Agency, Commitment, Party, Responsibility, Sector, Session
from .policies import policy_for
from .querysets import local_today

OVERDUE = "overdue"
OPEN = "open"


def _councils(request):
    return policy_for(request).councils() if request else Session.objects.none()


def _sessions(request):
    if request is None:
        return Session.objects.none()
    return (
        Session.objects.filter(council__in=policy_for(request).council_ids())
        .select_related("council")
        .order_by("council__short_name", "-number")
    )


class CommitmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    council = django_filters.ModelChoiceFilter(
        label=_("Council"),
        field_name="session__council",
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
        queryset=Agency.objects.select_related("party"),
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
        field_labels={
            "deadline": _("Deadline"),
            "session__start_date": _("Session"),
            "status": _("Status"),
            "title": _("Title"),
        },
    )

    class Meta:
        model = Commitment
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(text__icontains=value) | Q(clause__iexact=value)
        )

    def filter_party(self, queryset, name, value):
        responsible = Responsibility.objects.filter(commitment=OuterRef("pk"), party=value)
        return queryset.filter(Exists(responsible))

    def filter_agency(self, queryset, name, value):
        responsible = Responsibility.objects.filter(commitment=OuterRef("pk"), agency=value)
        return queryset.filter(Exists(responsible))

    def filter_status(self, queryset, name, value):
        if value == OVERDUE:
            return queryset.overdue(today=local_today())
        if value == OPEN:
            return queryset.open()
        return queryset.filter(status=value)
