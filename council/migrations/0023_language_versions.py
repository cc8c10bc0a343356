"""Texts in several languages: the language a commitment or agenda item is recorded in,
and its versions in the others (each kept with its history, withdrawn never deleted).

On PostgreSQL full-text indexes on the live (not withdrawn) versions, on the same
expressions ``council.search`` matches them with (as migration 0019 does for commitments).
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


INDEXES = {
    "commitmentversion_search_idx": (
        "council_commitmentversion",
        "to_tsvector('russian'::regconfig, "
        "COALESCE(\"title\", '') || ' ' || COALESCE(\"text\", ''))",
    ),
    "agendaitemversion_search_idx": (
        "council_agendaitemversion",
        "to_tsvector('russian'::regconfig, COALESCE(\"title\", ''))",
    ),
}
# Search reads only the texts that are not withdrawn: so does the index.
LIVE = 'WHERE "withdrawn_at" IS NULL'


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ({expression}) {LIVE}'
        )


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("council", "0022_history_of_agencies_and_people"),
    ]

    operations = [
        migrations.AddField(
            model_name="agendaitem",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("ru", "Russian"), ("kk", "Kazakh"), ("ky", "Kyrgyz")],
                default="ru",
                max_length=10,
                verbose_name="recorded in",
            ),
        ),
        migrations.AddField(
            model_name="commitment",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("ru", "Russian"), ("kk", "Kazakh"), ("ky", "Kyrgyz")],
                default="ru",
                max_length=10,
                verbose_name="recorded in",
            ),
        ),
        migrations.AddField(
            model_name="historicalagendaitem",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("ru", "Russian"), ("kk", "Kazakh"), ("ky", "Kyrgyz")],
                default="ru",
                max_length=10,
                verbose_name="recorded in",
            ),
        ),
        migrations.AddField(
            model_name="historicalcommitment",
            name="language",
            field=models.CharField(
                choices=[("en", "English"), ("ru", "Russian"), ("kk", "Kazakh"), ("ky", "Kyrgyz")],
                default="ru",
                max_length=10,
                verbose_name="recorded in",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalAgendaItemVersion",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "withdrawn_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="withdrawn at"
                    ),
                ),
                (
                    "withdrawal_reason",
                    models.TextField(
                        blank=True, editable=False, verbose_name="reason for withdrawal"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[
                            ("en", "English"),
                            ("ru", "Russian"),
                            ("kk", "Kazakh"),
                            ("ky", "Kyrgyz"),
                        ],
                        max_length=10,
                        verbose_name="language",
                    ),
                ),
                ("title", models.CharField(max_length=500, verbose_name="title")),
                (
                    "is_translation",
                    models.BooleanField(
                        default=True,
                        help_text="Unticked when this text is one of the signed, authentic texts.",
                        verbose_name="working translation",
                    ),
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
                    "agenda_item",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="council.agendaitem",
                        verbose_name="agenda item",
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
                    "withdrawn_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="withdrawn by",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical agenda item version",
                "verbose_name_plural": "historical agenda item versions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCommitmentVersion",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "withdrawn_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="withdrawn at"
                    ),
                ),
                (
                    "withdrawal_reason",
                    models.TextField(
                        blank=True, editable=False, verbose_name="reason for withdrawal"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[
                            ("en", "English"),
                            ("ru", "Russian"),
                            ("kk", "Kazakh"),
                            ("ky", "Kyrgyz"),
                        ],
                        max_length=10,
                        verbose_name="language",
                    ),
                ),
                (
                    "is_translation",
                    models.BooleanField(
                        default=True,
                        help_text="Unticked when this text is one of the signed, authentic texts.",
                        verbose_name="working translation",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="recorded at"),
                ),
                ("title", models.CharField(max_length=300, verbose_name="short title")),
                ("text", models.TextField(verbose_name="text as adopted")),
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
                    "withdrawn_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="withdrawn by",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical commitment version",
                "verbose_name_plural": "historical commitment versions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="AgendaItemVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "withdrawn_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="withdrawn at"
                    ),
                ),
                (
                    "withdrawal_reason",
                    models.TextField(
                        blank=True, editable=False, verbose_name="reason for withdrawal"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[
                            ("en", "English"),
                            ("ru", "Russian"),
                            ("kk", "Kazakh"),
                            ("ky", "Kyrgyz"),
                        ],
                        max_length=10,
                        verbose_name="language",
                    ),
                ),
                ("title", models.CharField(max_length=500, verbose_name="title")),
                (
                    "is_translation",
                    models.BooleanField(
                        default=True,
                        help_text="Unticked when this text is one of the signed, authentic texts.",
                        verbose_name="working translation",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="recorded at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "agenda_item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="versions",
                        to="council.agendaitem",
                        verbose_name="agenda item",
                    ),
                ),
                (
                    "withdrawn_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="withdrawn by",
                    ),
                ),
            ],
            options={
                "verbose_name": "agenda item version",
                "verbose_name_plural": "agenda item versions",
                "ordering": ["agenda_item", "language"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("withdrawn_at__isnull", True)),
                        fields=("agenda_item", "language"),
                        name="agendaitemversion_one_per_language",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("language__in", ["en", "ru", "kk", "ky"])),
                        name="agendaitemversion_language_valid",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="CommitmentVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "withdrawn_at",
                    models.DateTimeField(
                        blank=True, editable=False, null=True, verbose_name="withdrawn at"
                    ),
                ),
                (
                    "withdrawal_reason",
                    models.TextField(
                        blank=True, editable=False, verbose_name="reason for withdrawal"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[
                            ("en", "English"),
                            ("ru", "Russian"),
                            ("kk", "Kazakh"),
                            ("ky", "Kyrgyz"),
                        ],
                        max_length=10,
                        verbose_name="language",
                    ),
                ),
                (
                    "is_translation",
                    models.BooleanField(
                        default=True,
                        help_text="Unticked when this text is one of the signed, authentic texts.",
                        verbose_name="working translation",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="recorded at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("title", models.CharField(max_length=300, verbose_name="short title")),
                ("text", models.TextField(verbose_name="text as adopted")),
                (
                    "commitment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="versions",
                        to="council.commitment",
                        verbose_name="commitment",
                    ),
                ),
                (
                    "withdrawn_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="withdrawn by",
                    ),
                ),
            ],
            options={
                "verbose_name": "commitment version",
                "verbose_name_plural": "commitment versions",
                "ordering": ["commitment", "language"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("withdrawn_at__isnull", True)),
                        fields=("commitment", "language"),
                        name="commitmentversion_one_per_language",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("language__in", ["en", "ru", "kk", "ky"])),
                        name="commitmentversion_language_valid",
                    ),
                ],
            },
        ),
        migrations.RunPython(create_search_indexes, drop_search_indexes, elidable=False),
    ]
