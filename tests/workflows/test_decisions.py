"""Recording benefit decisions: granted, changed, ended, checked whole, in the caller's units."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from tests.builders import MU_CANG_CHAI, family, write_csv

from ansinh.errors import InputError
from ansinh.io.importer import import_file
from ansinh.store.models import AuditEntry, Benefit, Person
from ansinh.store.scope import Scope, scope_for
from ansinh.workflows import decisions as decisions_workflow
from ansinh.workflows.decisions import import_decisions_file

HEADER = [
    "person_id",
    "programme",
    "category",
    "decision_no",
    "decision_date",
    "start_month",
    "end_month",
    "end_reason",
    "injury_rate",
    "children",
]
EVERYWHERE = Scope(None, None)


def decisions(path: Path, *rows: dict[str, str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows({k: row.get(k, "") for k in HEADER} for row in rows)
    return path


def war_invalid(**more: str) -> dict[str, str]:
    return {
        "person_id": "P4",
        "programme": "meritorious",
        "category": "war_invalid",
        "decision_no": "123/QĐ-SNV",
        "decision_date": "2024-01-10",
        "start_month": "2024-01",
        "injury_rate": "81",
    } | more


@pytest.fixture
def registry(engine: Engine, tmp_path: Path) -> Engine:
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    return engine


def stored(engine: Engine) -> dict[tuple[str, str], tuple[object, ...]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                Person.code,
                Benefit.category,
                Benefit.decision_no,
                Benefit.start_month,
                Benefit.end_month,
                Benefit.end_reason,
                Benefit.injury_rate,
            ).join(Person, Person.id == Benefit.person_id)
        ).all()
    return {(r[0], r[1]): tuple(r[2:]) for r in rows}


def test_a_decision_is_recorded_changed_and_ended(registry: Engine, tmp_path: Path) -> None:
    grant = decisions(
        tmp_path / "d.csv",
        war_invalid(),
        {
            "person_id": "P4",
            "programme": "meritorious",
            "category": "martyr_relative",
            "decision_no": "9/QĐ",
            "decision_date": "2024-02-01",
            "start_month": "2024-02",
        },
    )
    first = import_decisions_file(registry, grant, actor="clerk", scope=EVERYWHERE)
    assert (first.new, first.changed) == (1, 1)  # the list's war_invalid row gets its decision
    assert stored(registry)[("P4", "war_invalid")][:2] == (
        "123/QĐ-SNV",
        date(2024, 1, 1),
    )
    again = import_decisions_file(registry, grant, actor="clerk", scope=EVERYWHERE)
    assert (again.new, again.changed) == (0, 0)
    end = decisions(tmp_path / "e.csv", war_invalid(end_month="2025-03", end_reason="death"))
    ended = import_decisions_file(registry, end, actor="clerk", scope=EVERYWHERE)
    assert ended.changed == 1
    assert stored(registry)[("P4", "war_invalid")][3] == "death"
    with registry.connect() as connection:
        audited = connection.scalars(
            select(AuditEntry.entity_key).where(AuditEntry.actor == "clerk")
        ).all()
    assert sorted(audited) == sorted(
        ["P4/meritorious/war_invalid"] * 2 + ["P4/meritorious/martyr_relative"]
    )


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (war_invalid(person_id="NOBODY"), "person_id"),
        (war_invalid(end_month="2025-01"), "end_reason"),
        (war_invalid(decision_date="2999-01-01"), "decision_date"),
        (war_invalid(injury_rate=""), "injury_rate"),
        (war_invalid(category="child_under3_poor", programme="social_assistance"), "birth_date"),
        (war_invalid(end_month="2023-01", end_reason="death"), "end_month"),
        (war_invalid(decision_no=""), "decision_no"),
    ],
)
def test_a_bad_decision_is_named_and_nothing_is_written(
    registry: Engine, tmp_path: Path, row: dict[str, str], column: str
) -> None:
    before = stored(registry)
    path = decisions(tmp_path / "d.csv", war_invalid(category="prisoner", injury_rate=""), row)
    with pytest.raises(InputError) as error:
        import_decisions_file(registry, path, actor="clerk", scope=EVERYWHERE)
    assert (3, column) in [(p.row, p.column) for p in error.value.problems], error.value.summary()
    assert stored(registry) == before


def test_another_communes_officer_cannot_decide_for_its_people(
    registry: Engine, tmp_path: Path
) -> None:
    with registry.connect() as connection:
        elsewhere = scope_for(connection, (MU_CANG_CHAI,))
    path = decisions(tmp_path / "d.csv", war_invalid())
    with pytest.raises(InputError) as error:
        import_decisions_file(registry, path, actor="clerk", scope=elsewhere)
    assert [(p.row, p.column) for p in error.value.problems] == [(2, "person_id")]
    assert "trong sổ của đơn vị bạn" in error.value.summary()


def test_a_list_cannot_end_a_decided_benefit(registry: Engine, tmp_path: Path) -> None:
    import_decisions_file(
        registry, decisions(tmp_path / "d.csv", war_invalid()), actor="c", scope=EVERYWHERE
    )
    rows = family()
    rows[3]["meritorious_category"] = ""
    with pytest.raises(InputError) as error:
        import_file(registry, write_csv(tmp_path / "h2.csv", rows), actor="tester")
    assert [(p.row, p.column) for p in error.value.problems] == [(5, "meritorious_category")]
    rows[3]["meritorious_category"] = "war_invalid;martyr_relative"
    result = import_file(registry, write_csv(tmp_path / "h3.csv", rows), actor="tester")
    assert result.counts["benefit_changes"] == 1
    assert ("P4", "martyr_relative") in stored(registry)


def test_a_file_without_the_end_columns_does_not_reopen_an_ended_benefit(
    registry: Engine, tmp_path: Path
) -> None:
    """As for households (trust issue, High): a column the file leaves out changes nothing."""
    ended = decisions(tmp_path / "e.csv", war_invalid(end_month="2025-03", end_reason="death"))
    import_decisions_file(registry, ended, actor="c", scope=EVERYWHERE)
    short = tmp_path / "short.csv"
    columns = [
        "person_id",
        "programme",
        "category",
        "decision_no",
        "decision_date",
        "start_month",
        "injury_rate",
    ]
    short.write_text(
        ",".join(columns) + "\nP4,meritorious,war_invalid,123/QĐ-SNV,2024-01-10,2024-01,81\n",
        encoding="utf-8",
    )
    again = import_decisions_file(registry, short, actor="c", scope=EVERYWHERE)
    assert (again.new, again.changed) == (0, 0)
    assert stored(registry)[("P4", "war_invalid")][3] == "death"


def test_a_load_of_decisions_leaves_the_planner_its_figures(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A province's decisions loaded at once are analyzed on PostgreSQL, as imports of people
    are: the payroll that follows reads them all."""
    monkeypatch.setattr(decisions_workflow, "BULK_ROWS", 1)
    import_file(engine, write_csv(tmp_path / "h.csv", family()), actor="tester")
    with engine.connect() as connection:
        before = connection.scalar(select(func.count()).select_from(Benefit))
    more = [war_invalid(person_id=p, decision_no=f"{n}/QĐ-SNV") for n, p in enumerate(("P1", "P2"))]
    import_decisions_file(
        engine, decisions(tmp_path / "d.csv", *more), actor="clerk", scope=EVERYWHERE
    )
    if engine.dialect.name != "postgresql":
        return  # SQLite plans from its indexes
    with engine.connect() as connection:
        counted = connection.scalar(
            text("SELECT reltuples FROM pg_class WHERE oid = to_regclass('benefit')")
        )
        held = connection.scalar(select(func.count()).select_from(Benefit))
    assert counted == held == before + 2
