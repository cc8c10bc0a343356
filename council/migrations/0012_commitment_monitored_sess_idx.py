from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("council", "0011_commitment_open_council_dl_idx"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(
                condition=models.Q(("is_monitored", True)),
                fields=["session"],
                name="commitment_monitored_sess_idx",
            ),
        ),
    ]
