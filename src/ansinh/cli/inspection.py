"""Inspection commands: duplicates in a people file (`dedupe`) and in the registry (`inspect`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table
from sqlalchemy.exc import NoResultFound

from ansinh.cli import app
from ansinh.cli.common import console, open_engine, progress, report_input_errors
from ansinh.config import get_settings
from ansinh.errors import InputError, Problem
from ansinh.io.people_file import (
    read_people,
    read_people_leniently,
    warnings_beside,
    write_clusters,
    write_pairs,
    write_warnings,
)
from ansinh.linkage.linker import DEFAULT_THRESHOLD, ENGINES, make_linker
from ansinh.linkage.overlap import load_rules
from ansinh.store.inspection import (
    DECISIONS,
    decide,
    findings,
    findings_with_ids,
    inspect_registry,
    latest_run,
    person_names,
    queue,
)
from ansinh.store.inspection_conclusions import (
    FINDING_DECISIONS,
    decide_finding,
    finding_decisions,
)

# The stages a linkage run reports, for the progress bar.
STAGES = [
    "prepare",
    "train: prior",
    "train: u",
    "train: EM on citizen_id",
    "train: EM on commune_code+given_folded+birth_year",
    "predict",
    "cluster",
]

EngineOption = Annotated[
    str,
    typer.Option(
        "--engine", help="duckdb (mặc định / default) | spark (pip install ansinh[spark])"
    ),
]
ThresholdOption = Annotated[
    float,
    typer.Option(
        "--threshold", min=0.0, max=1.0, help="Xác suất trùng tối thiểu / minimum match probability"
    ),
]


@app.command("dedupe")
@report_input_errors
def dedupe(
    people: Annotated[Path, typer.Argument(help="PEOPLE.csv theo DESIGN.md / the people contract")],
    pairs: Annotated[Path, typer.Option("--pairs", help="Tệp cặp trùng / PAIRS.csv output")],
    clusters: Annotated[Path, typer.Option("--clusters", help="Tệp cụm / CLUSTERS.csv output")],
    threshold: ThresholdOption = DEFAULT_THRESHOLD,
    engine: EngineOption = "duckdb",
    warnings: Annotated[
        Path | None,
        typer.Option(
            "--warnings",
            help="Tệp cảnh báo / findings file: file,row,column,reason "
            "(mặc định / default: PAIRS.warnings.csv beside PAIRS)",
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Từ chối tệp có giá trị sai (thoát 2) / refuse a file with a bad value (exit 2)",
        ),
    ] = False,
) -> None:
    """Tìm người trùng trong và giữa các danh sách / find the same person within and across lists.

    Writes person_id_l,person_id_r,match_probability for pairs at or above the threshold and
    person_id,cluster_id for every input person. Both files are written whole or not at all.
    A value that cannot be read (an ID of 11 digits, an impossible date) is a finding in the
    warnings file and left out of the comparison; with --strict the file is refused instead.
    """
    _check_engine(engine)
    findings: list[Problem] = []
    if strict:
        frame = read_people(people)
    else:
        frame, findings = read_people_leniently(people)
    with progress() as bar:
        linker = make_linker(engine, stage=_stages(bar, f"{people.name}: {frame.height:,} người"))
        result = linker.run(frame, threshold=threshold, evidence=False)
    write_pairs(pairs, result.pairs)
    write_clusters(clusters, result.clusters)
    if not strict:
        warnings = warnings or warnings_beside(pairs)
        write_warnings(warnings, findings)
        console.print(
            f"{len(findings):,} cảnh báo / findings: {warnings}", markup=False, highlight=False
        )
    duplicates = result.clusters.filter(result.clusters["cluster_id"].is_duplicated())
    table = Table(title=f"{people.name}: {frame.height:,} người / people")
    table.add_column("")
    table.add_column("", justify="right")
    table.add_row("cặp / pairs ≥ " + f"{threshold:g}", f"{result.pairs.height:,}")
    table.add_row("cụm trùng / duplicate clusters", f"{duplicates['cluster_id'].n_unique():,}")
    table.add_row("người trong cụm trùng / people in them", f"{duplicates.height:,}")
    console.print(table)


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise InputError.single(
            "--engine",
            f"Phải là một trong: {', '.join(ENGINES)}",
            f"Must be one of: {', '.join(ENGINES)}",
        )


def _stages(bar: Progress, description: str) -> Callable[[str], None]:
    """Advance one step per stage of the linkage run."""
    task = bar.add_task(description, total=len(STAGES))

    def advance(stage: str) -> None:
        bar.update(task, description=f"{description} — {stage}")
        bar.advance(task)

    return advance


@app.command("inspect")
@report_input_errors
def inspect(
    year: Annotated[int, typer.Option("--year", help="Năm thanh tra / year inspected")],
    threshold: ThresholdOption = DEFAULT_THRESHOLD,
    engine: EngineOption = "duckdb",
    warnings: Annotated[
        Path | None,
        typer.Option(
            "--warnings",
            help="Tệp cảnh báo / findings file: file,row,column,reason (mặc định: không ghi, "
            "chỉ đếm / default: counted, not written)",
        ),
    ] = None,
) -> None:
    """Thanh tra sổ hộ: người trùng và hưởng chồng chéo / duplicates and overlapping benefits.

    Links every person in the registry, queues the pairs not yet decided (a rejected pair
    returns only if one of its records changed) and records each breach of an overlap rule.
    """
    _check_engine(engine)
    database = open_engine()
    with progress() as bar:
        linker = make_linker(engine, stage=_stages(bar, f"Thanh tra / inspection {year}"))
        inspected = inspect_registry(
            database,
            linker,
            year=year,
            threshold=threshold,
            actor=get_settings().actor,
            engine_name=engine,
        )
    with database.connect() as connection:
        found = findings(connection, inspected.run_id)
    table = Table(title=f"Thanh tra / inspection {year} (run {inspected.run_id})")
    table.add_column("")
    table.add_column("", justify="right")
    table.add_row("người / people", f"{inspected.people:,}")
    table.add_row("cặp chờ xem xét / pairs to review", f"{inspected.candidates:,}")
    table.add_row("giá trị bỏ qua / values left out (findings)", f"{len(inspected.warnings):,}")
    if warnings is not None:
        write_warnings(warnings, list(inspected.warnings))
    for rule, count in found.group_by("rule").len().sort("rule").iter_rows():
        table.add_row(f"vi phạm / breaches: {rule}", f"{count:,}")
    console.print(table)


@app.command("queue")
@report_input_errors
def review_queue(
    run: Annotated[
        int | None, typer.Option(help="Lượt thanh tra / run (latest if omitted)")
    ] = None,
    limit: Annotated[int, typer.Option(help="Số cặp hiển thị / pairs shown")] = 20,
) -> None:
    """Hàng chờ xem xét / the pairs awaiting an inspector's decision, with their evidence."""
    database = open_engine()
    with database.connect() as connection:
        run_id = run if run is not None else latest_run(connection)
        if run_id is None:
            raise InputError.single(
                "registry",
                "Chưa có lượt thanh tra; hãy chạy `ansinh inspect --year Y`",
                "No inspection yet; run `ansinh inspect --year Y`",
            )
        pending = queue(connection, run_id)
        shown = pending.head(limit)
        names = person_names(connection, [*shown["person_l"], *shown["person_r"]])
    console.print(f"Lượt / run {run_id}: {pending.height:,} cặp chờ / pairs pending")
    for row in shown.iter_rows(named=True):
        left, right = row["person_l"], row["person_r"]
        table = Table(
            title=f"#{row['id']}  {left} {names.get(left, '')} ↔ {right} {names.get(right, '')}"
            f"  p = {row['match_probability']:.4f}",
            title_justify="left",
        )
        for heading in ("trường / field", "mức / level", "trái / left", "phải / right", "w"):
            table.add_column(heading)
        for item in json.loads(row["evidence"]):
            # The short label, then the level in Vietnamese words (the web shows either language).
            words = "\n".join(w for w in (item["level"], item.get("text_vi")) if w)
            table.add_row(
                item["field"],
                words,
                str(item["left"] or ""),
                str(item["right"] or ""),
                f"{item['weight']:+.2f}",
            )
        console.print(table)


@app.command("decide")
@report_input_errors
def decide_pair(
    candidate: Annotated[int, typer.Argument(help="Số cặp trong hàng chờ / queued pair id")],
    decision: Annotated[str, typer.Argument(help="confirm | reject")],
    note: Annotated[str | None, typer.Option(help="Ghi chú / note")] = None,
) -> None:
    """Kết luận một cặp / confirm or reject a queued pair (audited; a rejection holds until
    one of the two records changes)."""
    if decision not in DECISIONS:
        raise InputError.single(
            "DECISION",
            f"Phải là một trong: {', '.join(DECISIONS)}",
            f"Must be one of: {', '.join(DECISIONS)}",
        )
    database = open_engine()
    try:
        with database.begin() as connection:
            decide(connection, candidate, decision, actor=get_settings().actor, note=note)
    except NoResultFound:
        raise InputError.single(
            "CANDIDATE", f"Không có cặp #{candidate}", f"No queued pair #{candidate}"
        ) from None
    console.print(f"#{candidate}: {decision}")


@app.command("overlaps")
@report_input_errors
def overlaps(
    run: Annotated[
        int | None, typer.Option(help="Lượt thanh tra / run (latest if omitted)")
    ] = None,
    limit: Annotated[int, typer.Option(help="Số mục hiển thị / findings shown")] = 50,
) -> None:
    """Hưởng chồng chéo / the overlap findings of a run, with the conclusion drawn on each."""
    database = open_engine()
    with database.connect() as connection:
        run_id = run if run is not None else latest_run(connection)
        if run_id is None:
            raise InputError.single(
                "registry",
                "Chưa có lượt thanh tra; hãy chạy `ansinh inspect --year Y`",
                "No inspection yet; run `ansinh inspect --year Y`",
            )
        found = findings_with_ids(connection, run_id)
        concluded = finding_decisions(connection)
    names = {r.code: r.name_vi for r in load_rules()}
    table = Table(title=f"Lượt / run {run_id}: {found.height:,} mục / findings")
    for heading in ("#", "quy tắc / rule", "người / people", "kết luận / decision"):
        table.add_column(heading)
    for row in found.head(limit).iter_rows(named=True):
        decision = (concluded.get((row["rule"], row["people"])) or ("–",))[0]
        people = ", ".join(json.loads(row["people"] or "[]"))
        table.add_row(str(row["id"]), names.get(row["rule"], row["rule"]), people, decision)
    console.print(table)


@app.command("decide-overlap")
@report_input_errors
def decide_overlap(
    finding: Annotated[int, typer.Argument(help="Số mục / finding id (ansinh overlaps)")],
    decision: Annotated[str, typer.Argument(help="confirm | dismiss")],
    note: Annotated[str | None, typer.Option(help="Ghi chú / note")] = None,
) -> None:
    """Kết luận hưởng chồng chéo / confirm an overlap (one benefit must stop) or dismiss it
    (audited; the conclusion holds for the same finding in later runs)."""
    if decision not in FINDING_DECISIONS:
        raise InputError.single(
            "DECISION",
            f"Phải là một trong: {', '.join(FINDING_DECISIONS)}",
            f"Must be one of: {', '.join(FINDING_DECISIONS)}",
        )
    database = open_engine()
    try:
        with database.begin() as connection:
            decide_finding(connection, finding, decision, actor=get_settings().actor, note=note)
    except KeyError:
        raise InputError.single(
            "FINDING", f"Không có mục #{finding}", f"No overlap finding #{finding}"
        ) from None
    console.print(f"#{finding}: {decision}")
