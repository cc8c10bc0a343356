from django.db import migrations, models


class Migration(migrations.Migration):
    """Separate from 0013: PostgreSQL will not alter a table with 0013's update pending."""

    dependencies = [
        ("council", "0013_commitment_adopted_on"),
    ]

    operations = [
        migrations.AlterField(
            model_name="commitment",
            name="adopted_on",
            field=models.DateField(editable=False, verbose_name="adopted on"),
        ),
        migrations.AlterField(
            model_name="historicalcommitment",
            name="adopted_on",
            field=models.DateField(editable=False, verbose_name="adopted on"),
        ),
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(
                models.OrderBy(models.F("adopted_on"), descending=True),
                models.OrderBy(models.F("session"), descending=True),
                models.F("id"),
                name="commitment_adopted_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(
                models.F("council"),
                models.OrderBy(models.F("adopted_on"), descending=True),
                models.OrderBy(models.F("session"), descending=True),
                models.F("id"),
                name="commitment_cncl_adopted_idx",
            ),
        ),
    ]
