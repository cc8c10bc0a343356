"""What each resource shows: the fields the staff app shows its readers, by name."""

from __future__ import annotations

from rest_framework import serializers

from ..models import (
    Agency,
    AgendaItem,
    Attachment,
    Commitment,
    Council,
    Indicator,
    Observation,
    Party,
    Protocol,
    Responsibility,
    Review,
    Session,
    StatusUpdate,
)


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "code", "name", "short_name"]


class AgencySerializer(serializers.ModelSerializer):
    party = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Agency
        fields = ["id", "name", "short_name", "party"]


class CouncilSerializer(serializers.ModelSerializer):
    parties = PartySerializer(many=True, read_only=True)

    class Meta:
        model = Council
        fields = ["id", "name", "short_name", "kind", "parties", "established_on", "is_active"]


# A small positive integer, declared rather than read from the field: the range the model
# field reports depends on the database (SQLite's is 64-bit), and the schema must not.
SMALL = {"min_value": 0, "max_value": 32767}


class SessionSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(**SMALL)

    class Meta:
        model = Session
        fields = [
            "id",
            "council",
            "number",
            "kind",
            "status",
            "start_date",
            "end_date",
            "city",
            "venue",
            "summary",
        ]


class AgendaItemSerializer(serializers.ModelSerializer):
    order = serializers.IntegerField(**SMALL)

    class Meta:
        model = AgendaItem
        fields = ["id", "session", "order", "title", "language", "sector", "summary"]


class ResponsibilitySerializer(serializers.ModelSerializer):
    agency = AgencySerializer(read_only=True)
    party = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Responsibility
        fields = ["agency", "party", "role"]


class CommitmentSerializer(serializers.ModelSerializer):
    responsibilities = ResponsibilitySerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField(help_text="The commitment's page in the staff app.")

    class Meta:
        model = Commitment
        fields = [
            "id",
            "council",
            "session",
            "clause",
            "title",
            "text",
            "language",
            "sector",
            "agenda_item",
            "deadline_kind",
            "deadline",
            "status",
            "is_monitored",
            "carries_over",
            "responsibilities",
            "version",
            "created_at",
            "updated_at",
            "url",
        ]

    def get_url(self, commitment) -> str:
        request = self.context.get("request")
        path = commitment.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "uploaded_at", "url"]

    def get_url(self, attachment) -> str:
        from django.urls import reverse

        path = reverse("council:attachment-download", args=[attachment.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ProgressReportSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = StatusUpdate
        fields = [
            "id",
            "commitment",
            "author",
            "agency",
            "session",
            "from_status",
            "to_status",
            "note",
            "created_at",
            "attachments",
        ]


class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = Review
        fields = [
            "id",
            "commitment",
            "session",
            "decision",
            "new_deadline",
            "replacement",
            "note",
            "decided_at",
        ]


class ProtocolSerializer(serializers.ModelSerializer):
    class Meta:
        model = Protocol
        fields = ["id", "session", "number", "title", "status", "signed_on", "signed_in"]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "council", "code", "name", "unit", "sector", "description"]


class ObservationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Observation
        fields = ["id", "indicator", "period_start", "period_end", "value", "qualifier"]


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.CharField(allow_blank=True)
    after = serializers.CharField(allow_blank=True)


class HistoryEntrySerializer(serializers.Serializer):
    """One entry of a record's history: when, who, what kind, why, and what changed."""

    when = serializers.DateTimeField(source="record.history_date")
    who = serializers.SerializerMethodField()
    kind = serializers.SerializerMethodField()
    reason = serializers.CharField(source="record.history_change_reason", allow_null=True)
    changes = serializers.SerializerMethodField()

    def get_who(self, row) -> str:
        user = row.record.history_user
        return (user.get_full_name() or user.get_username()) if user else ""

    def get_kind(self, row) -> str:
        return {"+": "created", "~": "changed", "-": "removed"}[row.record.history_type]

    def get_changes(self, row) -> list[dict]:
        data = [{"field": str(f), "before": b, "after": a} for f, b, a in row.changes]
        return FieldChangeSerializer(data, many=True).data
