"""How many record pairs each blocking rule makes on a people file: the comparisons a run scores.

    python bench/linkage/comparisons.py DIR/people.csv [--sample 1.0]

Prepares the file as `ansinh dedupe` does (names, namesake counts, capped keys), then counts,
rule by rule in the order of `data/linkage/comparisons.yaml`, the pairs each rule joins that no
earlier rule joined (Splink's blocking analysis, exact at `--sample 1.0`). The counts do not
depend on the engine: Spark scores the same pairs as DuckDB.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import polars as pl

sys.path[:0] = [str(Path(__file__).resolve().parents[2] / "src")]

from splink import DuckDBAPI  # noqa: E402
from splink.blocking_analysis import count_comparisons_from_blocking_rules  # noqa: E402

from ansinh.linkage.blocking import add_capped_keys, blocking_rule  # noqa: E402
from ansinh.linkage.namesakes import add_namesake_counts  # noqa: E402
from ansinh.linkage.prepare import prepare_people  # noqa: E402
from ansinh.linkage.settings import load_config  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("people", type=Path)
    parser.add_argument("--sample", type=float, default=1.0)
    args = parser.parse_args()
    started = time.perf_counter()
    rules = load_config().raw["blocking_rules"]
    people = pl.read_csv(args.people, infer_schema=False)
    prepared = add_capped_keys(add_namesake_counts(prepare_people(people)), rules)
    api = DuckDBAPI()
    table = api.register(prepared.to_arrow(), table_name="ansinh_people")
    counts = count_comparisons_from_blocking_rules(
        table,
        blocking_rules=[blocking_rule(r) for r in rules],
        link_type="dedupe_only",
        record_sample_proportion=args.sample,
    )
    print(f"records: {prepared.height:,}")
    for rule, count in zip(rules, counts, strict=True):
        print(f"{count['marginal_comparison_count']:>12,}  {rule}")
    total = counts[-1]["cumulative_comparison_count"]
    print(f"{total:>12,}  comparisons in all, {total / prepared.height:.2f} a record")
    print(f"({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
