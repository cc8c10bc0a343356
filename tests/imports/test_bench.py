"""The import benchmark keeps working (no time asserted here: see bench/import_bench.py)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_bench_runs():
    spec = importlib.util.spec_from_file_location(
        "import_bench", ROOT / "bench" / "import_bench.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.measure(clauses=20, runs=1)
    assert result["clauses"] == 20
    assert result["warnings"] == 0  # every clause of the generated protocol is understood
    assert {"first_s", "median_s", "target_s", "met"} <= set(result)
