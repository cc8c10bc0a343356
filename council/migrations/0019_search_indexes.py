"""Full-text indexes for search on PostgreSQL (Russian stemming).

The expressions are those ``council.search`` queries with, so the planner can use them.
SQLite (the demo) has no text-search indexes and needs none.
"""

from django.db import migrations

INDEXES = {
    "commitment_search_idx": (
        "council_commitment",
        "to_tsvector('russian'::regconfig, "
        "COALESCE(\"title\", '') || ' ' || COALESCE(\"text\", ''))",
    ),
    "statusupdate_search_idx": (
        "council_statusupdate",
        "to_tsvector('russian'::regconfig, COALESCE(\"note\", ''))",
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ({expression})')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("council", "0018_historical_record_dates_in_range")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
