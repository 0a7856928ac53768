"""`ansinh dedupe` on the synthetic lists of a large province: time, peak memory, pairs.

    python bench/linkage/scale.py --households 630000 [--engine duckdb|spark] [--keep DIR]

Writes the province's lists with `ansinh synth --out` (people.csv: about 1.9 records per
household), then runs `ansinh dedupe` on them in a child process and reports its wall time,
its peak resident memory (max RSS of the child), the records, the pairs and the F1 of the
clusters against truth.csv. `--records N` keeps the first N records (for a Spark run at a
smaller size).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1] / "src")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=630_000)
    parser.add_argument("--province", default="15")
    parser.add_argument("--engine", default="duckdb")
    parser.add_argument("--records", type=int, default=0)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="ansinh-scale-"))
    if not (folder / "people.csv").exists():
        subprocess.run(
            [sys.executable, "-m", "ansinh", "synth", "--province", args.province,
             "--households", str(args.households), "--seed", "7", "--out", str(folder)],
            check=True, capture_output=True,
        )  # fmt: skip
    source = folder / "people.csv"
    if args.records:
        pl.read_csv(source, infer_schema=False).head(args.records).write_csv(
            folder / "people_head.csv"
        )
        source = folder / "people_head.csv"
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "ansinh", "dedupe", str(source), "--pairs",
         str(folder / "pairs.csv"), "--clusters", str(folder / "clusters.csv"),
         "--engine", args.engine],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode:
        print(done.stdout[-2000:], done.stderr[-2000:])
        raise SystemExit(done.returncode)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    import run

    clusters = pl.read_csv(folder / "clusters.csv", infer_schema=False)
    truth = pl.read_csv(folder / "truth.csv", infer_schema=False).select(
        "person_id", pl.col("true_person_id").alias("entity_id")
    )
    scores = run.pairwise_scores(clusters, truth.join(clusters.select("person_id"), on="person_id"))
    print(
        json.dumps(
            {
                "engine": args.engine,
                "records": clusters.height,
                "seconds": round(seconds, 1),
                "peak_mib": round(peak),
                "pairs": pl.read_csv(folder / "pairs.csv").height,
                **{k: round(v, 4) for k, v in scores.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
