"""The benchmark harness keeps working: build a tiny data set with ``bench/generate.py`` and
run every measurement of ``bench/run.py`` once. No time is asserted: only that each page
answers 200 and that the report has every row. PostgreSQL only (the generator writes with
``INSERT … SELECT``); skipped on SQLite."""

import datetime
import importlib.util
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count, F, Q

from bench.generate import LONG_HISTORY_MARK, generate
from council.models import Commitment, Responsibility, StatusUpdate, User

ROOT = Path(__file__).resolve().parent.parent
SIZE = 1_000  # the 1k version of the benchmark, run in CI without asserting on time


def load_bench_run():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark data generator needs PostgreSQL")
    # The default reminder rules, as migration 0004 writes them: a transactional test run
    # before this one on the same worker flushed them away.
    import importlib

    from django.apps import apps

    migration = importlib.import_module("council.migrations.0004_default_reminder_rules")
    migration.create_rules(apps, None)


def test_generator_builds_a_valid_data_set(postgres):
    summary = generate(SIZE)

    assert summary["counts"]["commitments"] == SIZE
    assert Commitment.objects.values("session__council").distinct().count() > 10
    per_commitment = Commitment.objects.annotate(
        agencies=Count("responsibilities"),
        leads=Count("responsibilities", filter=Q(responsibilities__role="lead")),
    )
    assert not per_commitment.filter(Q(agencies__lt=1) | Q(agencies__gt=3)).exists()
    assert not per_commitment.filter(leads=0).exists()
    # The party copied on each responsibility is its agency's (as Responsibility.save does).
    assert not Responsibility.objects.exclude(party=F("agency__party")).exists()
    statuses = set(Commitment.objects.values_list("status", flat=True))
    assert {"completed", "in_progress", "not_started"} <= statuses
    assert Commitment.objects.overdue(datetime.date.today()).exists()
    assert StatusUpdate.objects.count() > SIZE
    assert Commitment.history.count() > SIZE
    long_history = Commitment.objects.get(title__startswith=LONG_HISTORY_MARK)
    assert long_history.updates.count() >= 200
    for commitment in Commitment.objects.order_by("?")[:25]:
        commitment.full_clean()
    assert set(User.objects.values_list("username", flat=True)) >= {
        "bench-admin",
        "bench-manager",
        "bench-secretariat",
        "bench-focal",
    }


def test_every_measurement_runs_once(postgres, tmp_path):
    bench = load_bench_run()

    result = bench.measure_size(
        SIZE, runs=1, warmup=1, vacuum=False, isolate=False, plans_dir=tmp_path
    )

    for key in bench.PAGES:
        assert result["pages"][key]["status"] == 200, key
        assert result["pages"][key]["queries"] > 0, key
    for key in ("sql_first", "sql_deep", "sql_deep_offset", "sql_count"):
        assert result["sql"][key]["median_ms"] is not None, key
    # The deep page is a keyset page reached by cursor, and it returns the same rows as
    # the numbered-page (OFFSET) contrast.
    if result["scenario"]["deep_page"] > 1:
        assert "after=" in result["pages"]["list_deep"]["url"]
        assert result["sql"]["sql_deep"]["rows"] > 0
        assert " OFFSET " in result["sql"]["sql_deep_offset"]["sql"]
    assert result["scan"]["checked"] > 0
    assert result["scan"]["peak_python_bytes"] > 0
    assert result["pages"]["export_xlsx"]["memory"]["status"] == 200
    assert (tmp_path / str(SIZE) / "list_first.txt").exists()

    report = bench.report_markdown({SIZE: result}, bench.describe_machine())
    for _key, label in bench.ROWS:
        assert f"| {label} |" in report, label
    for _key, label, _a, _b in bench.RATIOS:
        assert f"| {label} |" in report, label
