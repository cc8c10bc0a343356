"""How long the import preview takes to read a long protocol: a 200-clause Word file
(ten sections, every clause naming two agencies in the dative and instrumental, three
paragraphs each with a "Срок" line), parsed against the demo's agencies and sectors.

    .venv/bin/python bench/import_bench.py [--clauses 200] [--runs 5]
    .venv/bin/python bench/run.py --import-preview      # the same, from the harness

Reported: the first preview in a fresh process (loading the Russian dictionaries and
building the agency matcher included) and the median of the next runs. The target is
under 2 seconds for the first; nothing here asserts it (see bench/README.md)."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 2.0


def measure(clauses: int = 200, runs: int = 5) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "council.settings")
    import django

    django.setup()
    from council.imports import parse
    from tests.imports.helpers import demo_matcher, demo_sectors
    from tests.imports.samples import big_protocol_docx

    data = big_protocol_docx(clauses)
    start = time.perf_counter()
    matcher, sectors = demo_matcher(), demo_sectors()
    result = parse("bench.docx", data, matcher=matcher, sectors=sectors, reference_year=2026)
    first = time.perf_counter() - start
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        parse("bench.docx", data, matcher=matcher, sectors=sectors, reference_year=2026)
        times.append(time.perf_counter() - start)
    return {
        "clauses": len(result.clauses),
        "bytes": len(data),
        "first_s": round(first, 3),
        "median_s": round(statistics.median(times), 3) if times else None,
        "target_s": TARGET_SECONDS,
        "met": first < TARGET_SECONDS,
        "warnings": sum(len(c.warnings) for c in result.clauses),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clauses", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    r = measure(args.clauses, args.runs)
    print(
        f"Import preview of {r['clauses']} clauses ({r['bytes'] // 1024} KB .docx): "
        f"first {r['first_s']:.2f} s (dictionaries and matcher included), "
        f"then median {r['median_s']:.2f} s; target < {r['target_s']:.0f} s "
        f"{'met' if r['met'] else 'NOT met'}."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
