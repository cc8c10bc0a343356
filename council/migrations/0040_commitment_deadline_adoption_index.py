"""An index of each commitment's deadline with its adoption sort key, on PostgreSQL
(issue 18).

The list filtered to a deadline range and sorted by adoption (its default) walked the
adoption index from the newest session, discarding every row outside the range: a
year of 2020's deadlines lay 723,000 entries into it at a million (0.4 s). Now the
list reads the range from this index alone and sorts it (``paging.Ordering.apart``):
37,000 deadlines of a year in 12 ms. The range's size, which decides that, is counted
from it too. SQLite (the demo) has no such need.
"""

from django.db import migrations

FORWARD = """
CREATE INDEX IF NOT EXISTS commitment_deadline_adopted_idx
    ON council_commitment (deadline) INCLUDE (adopted_on, session_id, id);
"""

BACKWARD = "DROP INDEX IF EXISTS commitment_deadline_adopted_idx;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("council", "0039_commitment_score_order_index")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
