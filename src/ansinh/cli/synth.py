"""`ansinh synth`: a synthetic province, loaded into the registry or written as files."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from sqlalchemy import Engine, func, select

from ansinh.cli import app
from ansinh.cli.common import advance_rows, console, open_engine, progress, report_input_errors
from ansinh.config import get_settings
from ansinh.errors import InputError
from ansinh.io.importer import import_table
from ansinh.problems import ROW
from ansinh.store.frames import reporting_rows
from ansinh.store.models import Household
from ansinh.store.scope import Scope
from ansinh.store.units import mark_disadvantaged
from ansinh.synth import SyntheticProvince, generate_province, write_province
from ansinh.synth.history import earlier_years
from ansinh.synth.province import MAX_HOUSEHOLDS
from ansinh.workflows.decisions import import_decisions
from ansinh.workflows.review_year import load_review_year

MAX_HISTORY = 5


@app.command("synth")
@report_input_errors
def synth(
    province: Annotated[str, typer.Option(help="Mã tỉnh / province code, e.g. 15 (Lào Cai)")],
    households: Annotated[int, typer.Option(help="Số hộ / number of households")],
    seed: Annotated[int, typer.Option(help="Hạt giống / random seed")] = 1,
    year: Annotated[int, typer.Option(help="Năm rà soát / review year")] = 2025,
    out: Annotated[
        Path | None, typer.Option(help="Ghi tệp vào thư mục / write files to this folder")
    ] = None,
    history: Annotated[
        int,
        typer.Option(
            help="Số năm rà soát trước đó kèm theo / earlier years of questionnaires (for flows)"
        ),
    ] = 0,
    if_empty: Annotated[
        bool,
        typer.Option(
            "--if-empty", help="Chỉ nạp khi sổ chưa có hộ / only into a registry with no households"
        ),
    ] = False,
) -> None:
    """Sinh một tỉnh giả lập / generate a synthetic province (same seed, same province).

    Without --out the households and questionnaires are imported into the registry; with --out
    they are written as households.csv and surveys.csv (the import templates), with the benefit
    lists (list_<name>.csv, people.csv for `ansinh dedupe`) and truth.csv. --history N adds the
    same households' questionnaires of the N years before, so that flows between years show.
    """
    if not 1 <= households <= MAX_HOUSEHOLDS:
        raise InputError.single(
            "--households",
            f"Số hộ phải từ 1 đến {MAX_HOUSEHOLDS:,}",
            f"Households must be between 1 and {MAX_HOUSEHOLDS:,}",
        )
    engine = None if out else open_engine()
    if engine is not None and if_empty and _holds_households(engine):
        console.print("Sổ đã có hộ, không nạp thêm / the registry already holds households")
        return
    with console.status(f"Đang sinh / generating {households:,} hộ / households…"):
        made = _generate(province, households, seed, year)
    if not 0 <= history <= MAX_HISTORY:
        raise InputError.single(
            "--history", f"Từ 0 đến {MAX_HISTORY} năm", f"Between 0 and {MAX_HISTORY} years"
        )
    count = made.surveys.height
    if history:
        earlier = earlier_years(made.surveys, history, seed)
        made = replace(made, surveys=pl.concat([earlier, made.surveys]))
    if out is not None:
        for path in write_province(made, out):
            console.print(f"Đã ghi / written: {path}", markup=False)
        return
    assert engine is not None
    _load(engine, made, f"synth-{made.code}-{households}-{seed}-{year}", seed)
    console.print(
        f"{made.name}: {count:,} hộ / households, "
        f"{made.people.height:,} người / people, năm / year {made.year}",
        markup=False,
    )


def _generate(province: str, households: int, seed: int, year: int) -> SyntheticProvince:
    try:
        return generate_province(province, households, seed, year)
    except ValueError as error:
        raise InputError.single(
            "--province/--year", f"Không sinh được tỉnh: {error}", f"Cannot generate: {error}"
        ) from None


def _holds_households(engine: Engine) -> bool:
    with engine.connect() as connection:
        return bool(connection.execute(select(func.count()).select_from(Household)).scalar())


def _load(engine: Engine, made: SyntheticProvince, batch: str, seed: int) -> None:
    """Households first (they create the villages), then the questionnaires that name them."""
    actor = get_settings().actor
    for name, frame in (("households.csv", made.people), ("surveys.csv", made.surveys)):
        numbered = frame.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
        with progress() as bar, reporting_rows(advance_rows(bar, f"Đang nạp / loading {name}")):
            import_table(engine, Path(name), numbered, actor=actor, batch=f"{batch}-{name}")
    with engine.begin() as connection:
        mark_disadvantaged(connection, made.disadvantaged, actor)
    decided = made.decisions.with_row_index(ROW, offset=2).with_columns(pl.col(ROW).cast(pl.Int64))
    with console.status("Đang nạp / loading decisions.csv"):
        import_decisions(
            engine,
            Path("decisions.csv"),
            decided,
            actor=actor,
            scope=Scope(None, None),
            today=date(made.year, 12, 31),
        )
    with console.status("Đang nạp / loading the review year in progress"):
        stages = load_review_year(
            engine, made.code, seed, made.year, actor, min(date.today(), date(made.year, 12, 31))
        )
    console.print(f"Rà soát năm {made.year}: {stages:,} bước / stages recorded", markup=False)
