"""Each party's side of a commitment, and which side a progress report is about.

The data step keeps what is recorded meaningful: every party with a responsible agency
gets a side whose status is today's commitment status, and every report belongs to the
side of the party of the agency that made it (else the lead executor's party).
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


WORKING = ("not_started", "in_progress", "completion_reported", "completed")
ENDED = ("cancelled", "superseded")
BATCH = 2000


def side_status_for(status, before_end, has_reports):
    """A side's status for a commitment now ``status``.

    A cancelled or superseded commitment ended as a whole, not side by side, and a side
    has no such status: its sides keep where the work stood when the council ended it
    (the status the commitment left, read from the report that ended it), or, when no
    report says so, "in progress" if anything was reported and "not started" if nothing
    was. "Completion reported" is not kept for an ended commitment (nobody will review
    it any more): it counts as "in progress"."""
    if status in WORKING:
        return status
    if before_end in ("not_started", "in_progress", "completed"):
        return before_end
    if before_end == "completion_reported":
        return "in_progress"
    return "in_progress" if has_reports else "not_started"


def create_sides(apps, schema_editor):
    Commitment = apps.get_model("council", "Commitment")
    Responsibility = apps.get_model("council", "Responsibility")
    CommitmentSide = apps.get_model("council", "CommitmentSide")
    StatusUpdate = apps.get_model("council", "StatusUpdate")
    Party = apps.get_model("council", "Party")
    party_order = {pk: (order, pk) for pk, order in Party.objects.values_list("pk", "order")}

    ids = list(Responsibility.objects.values_list("commitment_id", flat=True).distinct().order_by())
    ids.sort()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        parties: dict[int, set[int]] = {}
        leads: dict[int, list[int]] = {}
        for commitment_id, party_id, role in Responsibility.objects.filter(
            commitment_id__in=chunk
        ).values_list("commitment_id", "party_id", "role"):
            parties.setdefault(commitment_id, set()).add(party_id)
            if role == "lead":
                leads.setdefault(commitment_id, []).append(party_id)
        statuses = dict(Commitment.objects.filter(pk__in=chunk).values_list("pk", "status"))
        ended = [pk for pk, status in statuses.items() if status in ENDED]
        before_end: dict[int, str] = {}
        has_reports = set(
            StatusUpdate.objects.filter(commitment_id__in=ended)
            .values_list("commitment_id", flat=True)
            .distinct()
        )
        for commitment_id, from_status in (
            StatusUpdate.objects.filter(commitment_id__in=ended, to_status__in=ENDED)
            .order_by("created_at", "pk")
            .values_list("commitment_id", "from_status")
        ):
            before_end[commitment_id] = from_status  # the last one wins
        CommitmentSide.objects.bulk_create(
            [
                CommitmentSide(
                    commitment_id=commitment_id,
                    party_id=party_id,
                    status=side_status_for(
                        statuses[commitment_id],
                        before_end.get(commitment_id),
                        commitment_id in has_reports,
                    ),
                )
                for commitment_id in chunk
                for party_id in sorted(parties[commitment_id], key=party_order.get)
            ]
        )
        sides = {
            (commitment_id, party_id): pk
            for pk, commitment_id, party_id in CommitmentSide.objects.filter(
                commitment_id__in=chunk
            ).values_list("pk", "commitment_id", "party_id")
        }
        by_side: dict[int, list[int]] = {}
        for pk, commitment_id, agency_party in StatusUpdate.objects.filter(
            commitment_id__in=chunk
        ).values_list("pk", "commitment_id", "agency__party_id"):
            side = sides.get((commitment_id, agency_party))
            if side is None:  # no agency, or one of a party not responsible: the lead's
                lead_parties = sorted(
                    leads.get(commitment_id) or parties[commitment_id], key=party_order.get
                )
                side = sides[(commitment_id, lead_parties[0])]
            by_side.setdefault(side, []).append(pk)
        for side, update_ids in by_side.items():
            StatusUpdate.objects.filter(pk__in=update_ids).update(side_id=side)


class Migration(migrations.Migration):
    dependencies = [
        ("council", "0023_language_versions"),
    ]

    operations = [
        migrations.CreateModel(
            name="CommitmentSide",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("not_started", "Not started"),
                            ("in_progress", "In progress"),
                            ("completion_reported", "Completion reported"),
                            ("completed", "Completed"),
                        ],
                        default="not_started",
                        max_length=30,
                        verbose_name="status",
                    ),
                ),
                (
                    "is_responsible",
                    models.BooleanField(default=True, verbose_name="still responsible"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="recorded at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "commitment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="sides",
                        to="council.commitment",
                        verbose_name="commitment",
                    ),
                ),
                (
                    "party",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="sides",
                        to="council.party",
                        verbose_name="party",
                    ),
                ),
            ],
            options={
                "verbose_name": "side of a commitment",
                "verbose_name_plural": "sides of commitments",
                "ordering": ["commitment", "party__order", "party__pk"],
            },
        ),
        migrations.AddField(
            model_name="statusupdate",
            name="side",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="updates",
                to="council.commitmentside",
                verbose_name="side",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalCommitmentSide",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("not_started", "Not started"),
                            ("in_progress", "In progress"),
                            ("completion_reported", "Completion reported"),
                            ("completed", "Completed"),
                        ],
                        default="not_started",
                        max_length=30,
                        verbose_name="status",
                    ),
                ),
                (
                    "is_responsible",
                    models.BooleanField(default=True, verbose_name="still responsible"),
                ),
                (
                    "created_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="recorded at"),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "commitment",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="council.commitment",
                        verbose_name="commitment",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "party",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="council.party",
                        verbose_name="party",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical side of a commitment",
                "verbose_name_plural": "historical sides of commitments",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddConstraint(
            model_name="commitmentside",
            constraint=models.UniqueConstraint(
                fields=("commitment", "party"), name="side_once_per_party"
            ),
        ),
        migrations.AddConstraint(
            model_name="commitmentside",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "status__in",
                        ["not_started", "in_progress", "completion_reported", "completed"],
                    )
                ),
                name="side_status_valid",
            ),
        ),
        migrations.RunPython(create_sides, migrations.RunPython.noop),
    ]
