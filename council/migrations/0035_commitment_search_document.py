"""A commitment's search document stored beside it on PostgreSQL (issue 17/18).

Migration 0019 indexed ``to_tsvector(title || text)`` as an expression. The index finds
a word's rows, but a list sorted by another index filters each row it walks by
recomputing that expression: 0.1–0.5 s for a common word at a million commitments, and
seconds with the title sort. A stored column costs one comparison per row instead. A
built-in trigger keeps it filled on every insert and update (not a generated column: a
later migration could then not alter ``title`` or ``text``). ``council.search`` reads
it; the model does not declare it, so history, fixtures and the API never carry it.
SQLite (the demo) searches otherwise and has no such column.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE council_commitment ADD COLUMN IF NOT EXISTS search_document tsvector;
CREATE TRIGGER commitment_search_document
    BEFORE INSERT OR UPDATE OF title, text ON council_commitment
    FOR EACH ROW EXECUTE FUNCTION
    tsvector_update_trigger(search_document, 'pg_catalog.russian', title, text);
UPDATE council_commitment
    SET search_document = to_tsvector('pg_catalog.russian',
        COALESCE(title, '') || ' ' || COALESCE(text, ''));
CREATE INDEX IF NOT EXISTS commitment_document_idx
    ON council_commitment USING gin (search_document);
DROP INDEX IF EXISTS commitment_search_idx;
"""

BACKWARD = """
CREATE INDEX IF NOT EXISTS commitment_search_idx ON council_commitment USING gin
    (to_tsvector('russian'::regconfig, COALESCE("title", '') || ' ' || COALESCE("text", '')));
DROP TRIGGER IF EXISTS commitment_search_document ON council_commitment;
ALTER TABLE council_commitment DROP COLUMN IF EXISTS search_document;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("council", "0034_report_channel")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
