from django.db import migrations

DEFAULTS = [
    ("before_deadline", "30,7,1", None),
    ("overdue", "1", 7),
    ("escalation", "14", None),
    ("session_preparation", "21", None),
    ("weekly_digest", "1", None),
]


def create_rules(apps, schema_editor):
    ReminderRule = apps.get_model("council", "ReminderRule")
    for kind, days, repeat in DEFAULTS:
        ReminderRule.objects.get_or_create(kind=kind, defaults={"days": days, "repeat_every_days": repeat})


class Migration(migrations.Migration):
    dependencies = [("council", "0003_reminders")]

    operations = [migrations.RunPython(create_rules, migrations.RunPython.noop)]
