"""The importers under Hypothesis (trust issue, make it stay so): rows, encodings, sizes and
workbook structure drawn at random. Each import either succeeds, holding every person of the
file, or fails with InputError naming the file (and the row and column where there is one),
never another exception, and leaves the registry exactly as it was (hashed before and after).

On SQLite only, about 30 s in all: the same code paths run on PostgreSQL in the other tests.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select, text
from tests.builders import PEOPLE_HEADER, SURVEY_HEADER, family, survey, write_csv

from ansinh.errors import InputError
from ansinh.io.importer import import_file
from ansinh.store.db import make_engine
from ansinh.store.models import Person

TABLES = ["unit", "household", "person", "benefit", "survey", "audit_log"]
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Cells: the values of a good file, and what breaks files: separators, quotes, line breaks,
# NUL, formulas, long text, other scripts, numbers as Excel writes them.
GOOD = sorted({v for row in family() for v in row.values()})
ODD = ["", " ", "\x00", "\r\n", '"', ",", ";", "=1+1", "-", "0", "1e5", "2999-01-01",
       "x" * 300, "ﷺ", "𝔘", "04465-0\n1", "head", "Nam", "Kinh", "015070000123", "04465",
       "NaN", "null", "20255"]  # fmt: skip
CELL = st.one_of(st.sampled_from(GOOD + ODD), st.text(max_size=20))


@pytest.fixture
def registry(sqlite_template: Path, tmp_path: Path) -> Iterator[Engine]:
    path = tmp_path / "fuzz.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(url=f"sqlite:///{path}")
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    yield engine
    engine.dispose()


def fingerprint(engine: Engine) -> str:
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for table in TABLES:
            rows = connection.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
            digest.update(repr(rows).encode())
    return digest.hexdigest()


def attempt(engine: Engine, path: Path) -> None:
    """Import; on success the file's people are there, on failure nothing changed."""
    before = fingerprint(engine)
    try:
        import_file(engine, path, actor="fuzz")
    except InputError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.file and problem.reason_vi and problem.reason_en
            assert path.name in problem.file or problem.file == path.name
        assert fingerprint(engine) == before
        return
    people = _people_of(path)
    if people:
        with engine.connect() as connection:
            held = set(connection.scalars(select(Person.code).where(Person.code.in_(people))))
        assert held == people


def _people_of(path: Path) -> set[str]:
    if path.suffix != ".csv":
        return set()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row.get("person_id", "").strip() for row in csv.DictReader(handle)} - {""}


rows = st.lists(st.fixed_dictionaries({c: CELL for c in PEOPLE_HEADER}), min_size=0, max_size=12)


@FUZZ
@given(rows=rows, mutate=st.sampled_from(["none", "drop", "rename", "duplicate", "extra"]))
def test_people_rows_of_any_content(
    registry: Engine, tmp_path: Path, rows: list[dict[str, str]], mutate: str
) -> None:
    header = list(PEOPLE_HEADER)
    if mutate == "drop":
        header.remove("relation")
    elif mutate == "rename":
        header[0] = "person id"
    elif mutate == "extra":
        header.append("ghi_chu")
    lines = io.StringIO()
    writer = csv.writer(lines)
    writer.writerow(header + (["person_id"] if mutate == "duplicate" else []))
    for row in rows:
        writer.writerow([row.get(c, "") for c in header])
    path = tmp_path / "rows.csv"
    path.write_text(lines.getvalue(), encoding="utf-8")
    attempt(registry, path)


@FUZZ
@given(
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258", "latin-1"]),
    size=st.sampled_from([0, 1, 3, 600]),
    line_end=st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_files_in_any_encoding_size_and_line_end(
    registry: Engine, tmp_path: Path, encoding: str, size: int, line_end: str
) -> None:
    base = family()
    rows = [
        dict(base[n % len(base)], person_id=f"F{n}", household_id=f"FH{n}") for n in range(size)
    ]
    for row in rows:
        row["relation"] = "head"
    text_ = line_end.join([",".join(PEOPLE_HEADER)] + [",".join(r.values()) for r in rows])
    path = tmp_path / "enc.csv"
    path.write_bytes((text_ + line_end).encode(encoding, errors="replace"))
    attempt(registry, path)


@FUZZ
@given(
    cells=st.lists(st.lists(CELL, min_size=1, max_size=6), min_size=1, max_size=8),
    damage=st.sampled_from(["none", "truncate", "flip", "drop_part", "not_zip"]),
    header=st.sampled_from([PEOPLE_HEADER, SURVEY_HEADER, ["a", "b"]]),
)
def test_workbooks_of_any_structure(
    registry: Engine, tmp_path: Path, cells: list[list[str]], damage: str, header: list[str]
) -> None:
    path = tmp_path / "book.xlsx"
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, header)
    for r, row in enumerate(cells, start=1):
        sheet.write_row(r, 0, [c.replace("\x00", "") for c in row])
    book.close()
    raw = path.read_bytes()
    if damage == "truncate":
        raw = raw[: len(raw) // 2]
    elif damage == "flip":
        raw = raw[:200] + bytes(b ^ 0xFF for b in raw[200:260]) + raw[260:]
    elif damage == "drop_part":
        kept = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(kept, "w") as target:
            for item in source.infolist():
                if "sharedStrings" not in item.filename:
                    target.writestr(item, source.read(item))
        raw = kept.getvalue()
    elif damage == "not_zip":
        raw = b"person_id,household_id\n"
    path.write_bytes(raw)
    attempt(registry, path)


@FUZZ
@given(rows=st.lists(st.fixed_dictionaries({c: CELL for c in SURVEY_HEADER}), max_size=8))
def test_questionnaires_of_any_content(
    registry: Engine, tmp_path: Path, rows: list[dict[str, str]]
) -> None:
    good = [survey("H1", 1_500_000, {"water"})]
    path = write_csv(tmp_path / "s.csv", good + rows, header=SURVEY_HEADER)
    attempt(registry, path)
