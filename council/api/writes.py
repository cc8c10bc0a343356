"""Write endpoints: a progress report, a status move, an extension request and a review
decision, each through the same service and policy as the staff app, recorded in history
"via API"."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .. import services
from ..fields import validate_recorded_date
from ..models import Agency, Commitment, CommitmentSide, Party, Session
from ..policies import policy_for
from ..services.channels import via_api
from .serializers import ProgressReportSerializer, ReviewSerializer


class SideField(serializers.SlugRelatedField):
    """A side named by its party's code ("KZ", "KG")."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Party.objects.all(), **kwargs)


class ReportIn(serializers.Serializer):
    note = serializers.CharField(max_length=10_000)
    side = SideField(required=False, help_text="The party whose side this report is about.")


class StatusIn(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=Commitment.Status.choices)
    note = serializers.CharField(max_length=10_000, required=False, allow_blank=True)
    side = SideField(required=False)


class ExtensionIn(serializers.Serializer):
    party = SideField(help_text="The side asking for more time.")
    new_deadline = serializers.DateField(validators=[validate_recorded_date])
    reason = serializers.CharField(max_length=5000)


class ExtensionOut(serializers.Serializer):
    id = serializers.IntegerField()
    commitment = serializers.IntegerField(source="commitment_id")
    party = serializers.CharField(source="party.code")
    new_deadline = serializers.DateField()
    status = serializers.CharField()


class ReviewIn(serializers.Serializer):
    session = serializers.IntegerField()
    decision = serializers.CharField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    new_deadline = serializers.DateField(required=False, validators=[validate_recorded_date])
    replacement = serializers.IntegerField(required=False)


def _commitment(request, pk: int) -> Commitment:
    return get_object_or_404(policy_for(request).visible_commitments(), pk=pk)


def _valid(serializer_class, request):
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


def _side(commitment: Commitment, party: Party | None) -> CommitmentSide | None:
    if party is None:
        return None
    side = commitment.sides.filter(party=party).first()
    if side is None:
        raise serializers.ValidationError({"side": ["This party has no side in the commitment."]})
    return side


def _agency(request) -> Agency | None:
    policy = policy_for(request)
    if not policy.is_focal_point:
        return None
    return Agency.objects.filter(pk=request.user.agency_id).first()


@extend_schema(request=ReportIn, responses={201: ProgressReportSerializer})
@api_view(["POST"])
def report_create(request, pk: int):
    """Add a progress report to a commitment (a side's focal point, or the secretariat)."""
    commitment = _commitment(request, pk)
    data = _valid(ReportIn, request)
    with via_api():
        update = services.commitment_report_progress(
            commitment=commitment,
            by=request.user,
            note=data["note"],
            agency=_agency(request),
            side=_side(commitment, data.get("side")),
        )
    return Response(ProgressReportSerializer(update).data, status=status.HTTP_201_CREATED)


@extend_schema(request=StatusIn, responses={201: ProgressReportSerializer})
@api_view(["POST"])
def status_create(request, pk: int):
    """Propose a status move (completion reported, accepted, returned…) as the web page does:
    the same rules say who may make which move."""
    commitment = _commitment(request, pk)
    data = _valid(StatusIn, request)
    with via_api():
        update = services.commitment_change_status(
            commitment=commitment,
            to=data["to_status"],
            by=request.user,
            note=data.get("note", ""),
            agency=_agency(request),
            side=_side(commitment, data.get("side")),
        )
    return Response(ProgressReportSerializer(update).data, status=status.HTTP_201_CREATED)


@extend_schema(request=ExtensionIn, responses={201: ExtensionOut})
@api_view(["POST"])
def extension_create(request, pk: int):
    """Ask for a later deadline on behalf of a side."""
    commitment = _commitment(request, pk)
    data = _valid(ExtensionIn, request)
    with via_api():
        made = services.extension_request(
            commitment=commitment,
            party=data["party"],
            new_deadline=data["new_deadline"],
            reason=data["reason"],
            by=request.user,
        )
    return Response(ExtensionOut(made).data, status=status.HTTP_201_CREATED)


@extend_schema(request=ReviewIn, responses={201: ReviewSerializer})
@api_view(["POST"])
def review_create(request, pk: int):
    """Record a session's decision on an earlier commitment (the council's secretariat)."""
    commitment = _commitment(request, pk)
    data = _valid(ReviewIn, request)
    session = get_object_or_404(
        Session.objects.filter(council__in=policy_for(request).council_ids()), pk=data["session"]
    )
    replacement = None
    if data.get("replacement"):
        replacement = get_object_or_404(
            policy_for(request).visible_commitments(), pk=data["replacement"]
        )
    with via_api():
        review = services.review_record_decision(
            commitment=commitment,
            session=session,
            decision=data["decision"],
            by=request.user,
            note=data.get("note", ""),
            new_deadline=data.get("new_deadline"),
            replacement=replacement,
        )
    return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)
