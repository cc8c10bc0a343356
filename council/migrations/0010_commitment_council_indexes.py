import datetime

import django.db.models.deletion
import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):
    """Separate from 0009: PostgreSQL will not alter a table with the deferred foreign key
    checks of 0009's update still pending in the same transaction."""

    dependencies = [
        ("council", "0009_commitment_council"),
    ]

    operations = [
        migrations.AlterField(
            model_name="commitment",
            name="council",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="commitments",
                to="council.council",
                verbose_name="council",
            ),
        ),
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(
                models.F("council"),
                models.F("status"),
                django.db.models.functions.comparison.Coalesce(
                    models.F("deadline"), models.Value(datetime.date(9999, 12, 31))
                ),
                models.F("id"),
                name="commitment_cncl_status_dl_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(
                models.F("council"),
                django.db.models.functions.comparison.Coalesce(
                    models.F("deadline"), models.Value(datetime.date(9999, 12, 31))
                ),
                models.F("id"),
                name="commitment_council_dl_idx",
            ),
        ),
    ]
