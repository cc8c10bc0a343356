"""Each responsibility row carries a copy of its commitment's state on PostgreSQL (issue 18).

A focal point's dashboard counts the open commitments of their agency and lists the
stale sides. At a million commitments the busiest agency has 113,000 responsibility
rows, and each query joined them to the commitments to learn which are open, then
probed the progress reports of each open one: 1.0–1.4 s a page. With the commitment's
status, dated deadline, monitoring, council and adoption day copied onto its rows, and
the newest report of the row's party, each figure is read from one partial index.

Built-in triggers keep the copy: a responsibility takes it when written, a commitment
passes its changes to its rows, a progress report (written, withdrawn, moved) refreshes
its party's rows, and an agency moved to another party refreshes the rows it reported
on. ``council.workload`` reads the copy; the model does not declare the columns, so
history, fixtures and the API never carry them. SQLite (the demo) counts otherwise.
"""

from django.db import migrations

OPEN = "('not_started', 'in_progress', 'completion_reported')"

FORWARD = """
ALTER TABLE council_responsibility
    ADD COLUMN IF NOT EXISTS commitment_status varchar(30),
    ADD COLUMN IF NOT EXISTS commitment_deadline date,
    ADD COLUMN IF NOT EXISTS commitment_is_monitored boolean,
    ADD COLUMN IF NOT EXISTS commitment_council_id bigint,
    ADD COLUMN IF NOT EXISTS commitment_adopted_on date,
    ADD COLUMN IF NOT EXISTS side_reported_at timestamptz;

-- The newest report (not withdrawn) by an agency of ``party`` on ``commitment``.
CREATE OR REPLACE FUNCTION council_side_reported_at(commitment bigint, party bigint)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT max(u.created_at) FROM council_statusupdate u
    JOIN council_agency a ON a.id = u.agency_id
    WHERE u.commitment_id = commitment AND a.party_id = party AND u.withdrawn_at IS NULL
$$;

CREATE OR REPLACE FUNCTION council_responsibility_copy() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT c.status, CASE WHEN c.deadline_kind = 'date' THEN c.deadline END,
           c.is_monitored, c.council_id, c.adopted_on
      INTO NEW.commitment_status, NEW.commitment_deadline, NEW.commitment_is_monitored,
           NEW.commitment_council_id, NEW.commitment_adopted_on
      FROM council_commitment c WHERE c.id = NEW.commitment_id;
    NEW.side_reported_at := council_side_reported_at(NEW.commitment_id, NEW.party_id);
    RETURN NEW;
END $$;
CREATE TRIGGER responsibility_copy
    BEFORE INSERT OR UPDATE OF commitment_id, party_id ON council_responsibility
    FOR EACH ROW EXECUTE FUNCTION council_responsibility_copy();

CREATE OR REPLACE FUNCTION council_commitment_copy() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE council_responsibility SET
        commitment_status = NEW.status,
        commitment_deadline = CASE WHEN NEW.deadline_kind = 'date' THEN NEW.deadline END,
        commitment_is_monitored = NEW.is_monitored,
        commitment_council_id = NEW.council_id,
        commitment_adopted_on = NEW.adopted_on
    WHERE commitment_id = NEW.id;
    RETURN NULL;
END $$;
-- On insert too: a fixture may load a commitment's rows before it (deferred keys).
CREATE TRIGGER commitment_copy_new
    AFTER INSERT ON council_commitment
    FOR EACH ROW EXECUTE FUNCTION council_commitment_copy();
CREATE TRIGGER commitment_copy
    AFTER UPDATE ON council_commitment FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status
          OR OLD.deadline IS DISTINCT FROM NEW.deadline
          OR OLD.deadline_kind IS DISTINCT FROM NEW.deadline_kind
          OR OLD.is_monitored IS DISTINCT FROM NEW.is_monitored
          OR OLD.council_id IS DISTINCT FROM NEW.council_id
          OR OLD.adopted_on IS DISTINCT FROM NEW.adopted_on)
    EXECUTE FUNCTION council_commitment_copy();

CREATE OR REPLACE FUNCTION council_report_copy() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.agency_id IS NOT NULL THEN
        UPDATE council_responsibility r
            SET side_reported_at = council_side_reported_at(r.commitment_id, r.party_id)
        WHERE r.commitment_id = OLD.commitment_id
          AND r.party_id = (SELECT party_id FROM council_agency WHERE id = OLD.agency_id);
    END IF;
    IF NEW.agency_id IS NOT NULL THEN
        UPDATE council_responsibility r
            SET side_reported_at = council_side_reported_at(r.commitment_id, r.party_id)
        WHERE r.commitment_id = NEW.commitment_id
          AND r.party_id = (SELECT party_id FROM council_agency WHERE id = NEW.agency_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER report_copy
    AFTER INSERT OR UPDATE OF commitment_id, agency_id, created_at, withdrawn_at
    ON council_statusupdate
    FOR EACH ROW EXECUTE FUNCTION council_report_copy();

CREATE OR REPLACE FUNCTION council_agency_copy() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE council_responsibility r
        SET side_reported_at = council_side_reported_at(r.commitment_id, r.party_id)
    WHERE r.commitment_id IN (
        SELECT u.commitment_id FROM council_statusupdate u WHERE u.agency_id = NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER agency_copy
    AFTER UPDATE ON council_agency FOR EACH ROW
    WHEN (OLD.party_id IS DISTINCT FROM NEW.party_id)
    EXECUTE FUNCTION council_agency_copy();
"""

# Fills the copy of every row (also run by the benchmark's generator, which loads with
# the triggers off).
BACKFILL = """
UPDATE council_responsibility r SET
    commitment_status = c.status,
    commitment_deadline = CASE WHEN c.deadline_kind = 'date' THEN c.deadline END,
    commitment_is_monitored = c.is_monitored,
    commitment_council_id = c.council_id,
    commitment_adopted_on = c.adopted_on
FROM council_commitment c
WHERE c.id = r.commitment_id;
UPDATE council_responsibility r SET side_reported_at = reported.at
FROM (
    SELECT u.commitment_id, a.party_id, max(u.created_at) AS at
    FROM council_statusupdate u JOIN council_agency a ON a.id = u.agency_id
    WHERE u.withdrawn_at IS NULL
    GROUP BY u.commitment_id, a.party_id
) AS reported
WHERE reported.commitment_id = r.commitment_id AND reported.party_id = r.party_id;
"""

INDEXES = f"""
-- A focal point's open work: their agencies' rows of open commitments, by commitment.
CREATE INDEX IF NOT EXISTS responsibility_agency_open_idx
    ON council_responsibility (agency_id, commitment_id)
    INCLUDE (party_id, commitment_status, commitment_council_id, commitment_deadline,
             commitment_is_monitored, commitment_adopted_on, side_reported_at)
    WHERE commitment_status IN {OPEN};
-- A secretariat's stale sides: its councils' rows of open, monitored commitments.
CREATE INDEX IF NOT EXISTS responsibility_council_monitored_idx
    ON council_responsibility (commitment_council_id, commitment_id)
    INCLUDE (party_id, commitment_adopted_on, side_reported_at)
    WHERE commitment_status IN {OPEN} AND commitment_is_monitored;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS agency_copy ON council_agency;
DROP TRIGGER IF EXISTS report_copy ON council_statusupdate;
DROP TRIGGER IF EXISTS commitment_copy ON council_commitment;
DROP TRIGGER IF EXISTS commitment_copy_new ON council_commitment;
DROP TRIGGER IF EXISTS responsibility_copy ON council_responsibility;
DROP FUNCTION IF EXISTS council_agency_copy();
DROP FUNCTION IF EXISTS council_report_copy();
DROP FUNCTION IF EXISTS council_commitment_copy();
DROP FUNCTION IF EXISTS council_responsibility_copy();
DROP FUNCTION IF EXISTS council_side_reported_at(bigint, bigint);
ALTER TABLE council_responsibility
    DROP COLUMN IF EXISTS commitment_status,
    DROP COLUMN IF EXISTS commitment_deadline,
    DROP COLUMN IF EXISTS commitment_is_monitored,
    DROP COLUMN IF EXISTS commitment_council_id,
    DROP COLUMN IF EXISTS commitment_adopted_on,
    DROP COLUMN IF EXISTS side_reported_at;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)
        schema_editor.execute(BACKFILL)
        schema_editor.execute(INDEXES)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("council", "0036_report_tallies")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
