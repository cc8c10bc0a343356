"""Read endpoints: each lists what the policy lets the caller see, in id order, paged by
cursor (stable while rows are added), with the commitment list's own filters."""

from __future__ import annotations

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from ..filters import CommitmentFilter
from ..history import commitment_history_rows
from ..models import (
    AgendaItem,
    Commitment,
    Council,
    Indicator,
    Observation,
    Protocol,
    Responsibility,
    Review,
    Session,
    StatusUpdate,
)
from ..policies import policy_for
from . import serializers


class ById(CursorPagination):
    ordering = "pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ApiCommitmentFilter(CommitmentFilter):
    """The list's filters; the order is the cursor's (by id), so the list's sort is left out."""

    class Meta(CommitmentFilter.Meta):
        pass

    # The schema reads a filter's type from its method: a party or an agency by its id.
    def filter_party(self, queryset, name, value: int):
        return super().filter_party(queryset, name, value)

    def filter_agency(self, queryset, name, value: int):
        return super().filter_agency(queryset, name, value)


ApiCommitmentFilter.base_filters.pop("ordering", None)


class ReadOnly(viewsets.ReadOnlyModelViewSet):
    pagination_class = ById
    model = None

    @property
    def policy(self):
        return policy_for(self.request)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no caller
            return self.model.objects.none()
        return self.visible()

    def visible(self):
        raise NotImplementedError


class CouncilViewSet(ReadOnly):
    """Councils the caller may see."""

    model = Council
    serializer_class = serializers.CouncilSerializer

    def visible(self):
        return self.policy.councils().prefetch_related("parties")


class SessionViewSet(ReadOnly):
    model = Session
    serializer_class = serializers.SessionSerializer
    filterset_fields = ["council", "status"]
    filter_backends = [DjangoFilterBackend]

    def visible(self):
        return Session.objects.filter(council__in=self.policy.council_ids())


class AgendaItemViewSet(ReadOnly):
    model = AgendaItem
    serializer_class = serializers.AgendaItemSerializer
    filterset_fields = ["session"]
    filter_backends = [DjangoFilterBackend]

    def visible(self):
        return AgendaItem.objects.filter(
            session__council__in=self.policy.council_ids(), withdrawn_at__isnull=True
        )


class CommitmentViewSet(ReadOnly):
    """Commitments with their responsible agencies; filters as on the commitment list
    (`q`, `scope`, `council`, `session`, `sector`, `party`, `agency`, `status`,
    `deadline_after`, `deadline_before`)."""

    model = Commitment
    serializer_class = serializers.CommitmentSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ApiCommitmentFilter

    def visible(self):
        responsibilities = Responsibility.objects.select_related("agency__party", "party")
        return self.policy.visible_commitments().prefetch_related(
            Prefetch("responsibilities", queryset=responsibilities)
        )

    @extend_schema(responses=serializers.HistoryEntrySerializer(many=True))
    @action(detail=True)
    def history(self, request, pk=None):
        """The commitment's history, newest first (the latest 50 entries)."""
        rows = commitment_history_rows(self.get_object())
        return Response(serializers.HistoryEntrySerializer(rows, many=True).data)


class ProgressReportViewSet(ReadOnly):
    """Progress reports (withdrawn ones left out), with their attachments."""

    model = StatusUpdate
    serializer_class = serializers.ProgressReportSerializer
    filterset_fields = ["commitment"]
    filter_backends = [DjangoFilterBackend]

    def visible(self):
        return (
            StatusUpdate.objects.filter(
                commitment__in=self.policy.visible_commitments(), withdrawn_at__isnull=True
            )
            .select_related("author")
            .prefetch_related("attachments")
        )


class ReviewViewSet(ReadOnly):
    """Decisions of the reviews of implementation."""

    model = Review
    serializer_class = serializers.ReviewSerializer
    filterset_fields = ["commitment", "session"]
    filter_backends = [DjangoFilterBackend]

    def visible(self):
        return Review.objects.filter(commitment__in=self.policy.visible_commitments())


class ProtocolViewSet(ReadOnly):
    model = Protocol
    serializer_class = serializers.ProtocolSerializer

    def visible(self):
        return Protocol.objects.filter(session__council__in=self.policy.council_ids())


class IndicatorViewSet(ReadOnly):
    model = Indicator
    serializer_class = serializers.IndicatorSerializer
    filterset_fields = ["council"]
    filter_backends = [DjangoFilterBackend]

    def visible(self):
        return Indicator.objects.filter(council__in=self.policy.council_ids())


class ObservationViewSet(ReadOnly):
    model = Observation
    serializer_class = serializers.ObservationSerializer
    filterset_fields = ["indicator"]
    filter_backends = [DjangoFilterBackend]

    def visible(self):
        return Observation.objects.filter(indicator__council__in=self.policy.council_ids())
