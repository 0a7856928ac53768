"""The migrations, on both backends: what each does to the data held, and all or nothing."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, inspect, select, text
from sqlalchemy.exc import IntegrityError
from tests.builders import family, survey, write_csv
from tests.conftest import POSTGRES_URL

from ansinh.domain.poverty import load_standard
from ansinh.io.importer import import_file
from ansinh.store.db import make_engine
from ansinh.store.models import AuditEntry, Household
from ansinh.store.schema import alembic_config, migrating, upgrade


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def blank(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database (SQLite file, or a PostgreSQL schema of its own)."""
    if request.param == "sqlite":
        engine = make_engine(url=f"sqlite:///{tmp_path / 'blank.db'}")
        yield engine
        engine.dispose()
        return
    request.getfixturevalue("postgres_schema")  # skips, or fails under CI, without PostgreSQL
    schema = f"ansinh_migration_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url=POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine = make_engine(url=f"{POSTGRES_URL}?options=-csearch_path%3D{schema}")
    yield engine
    engine.dispose()
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def migrate(engine: Engine, revision: str, down: bool = False) -> None:
    config = alembic_config()
    with migrating(engine) as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


# Codes with '/' in them: a key 'OWNER/LAST' belongs to the OWNER before its last '/'.
PAST_CHANGES = [
    ("household", "H/1", 7),
    ("person", "P/9", 7),
    ("benefit", "P/9/meritorious", 7),
    ("survey", "H/1/2025-12-14", 7),
    ("person", "P-gone", None),  # a person no longer held
    ("unit", "04465-01", None),
    ("review_run", "1", None),
]


def _insert_units(connection: Connection) -> None:
    """The country, Lào Cai and Xã Khao Mang, as rows of any revision's unit table."""
    for code, parent, level in (("VN", None, "country"), ("15", "VN", "province"),
                                ("04465", "15", "commune")):  # fmt: skip
        connection.execute(
            text(
                "INSERT INTO unit (code, parent_code, level, name, division_type, "
                "valid_from, legacy) VALUES (:code, :parent, :level, :code, 'x', "
                "'2025-07-01', false)"
            ),
            {"code": code, "parent": parent, "level": level},
        )


def _insert_households(connection: Connection, codes: dict[int, str]) -> None:
    """Households of Xã Khao Mang by id, with the units above them."""
    _insert_units(connection)
    for household_id, code in codes.items():
        connection.execute(
            text(
                "INSERT INTO household (id, code, commune_code, updated_at) "
                "VALUES (:id, :code, '04465', '2025-01-01')"
            ),
            {"id": household_id, "code": code},
        )


def test_0005_gives_each_past_change_its_household_and_goes_back(blank: Engine) -> None:
    migrate(blank, "0004_inspection")
    with blank.begin() as connection:
        _insert_households(connection, {7: "H/1"})
        connection.execute(
            text(
                "INSERT INTO person (id, code, household_id, full_name, name_folded, relation, "
                "updated_at) VALUES (9, 'P/9', 7, 'A', 'a', 'head', '2025-01-01')"
            )
        )
        for entity, key, _ in PAST_CHANGES:
            connection.execute(
                text(
                    "INSERT INTO audit_log (at, actor, action, entity, entity_key) "
                    "VALUES ('2025-01-01', 't', 'create', :entity, :key)"
                ),
                {"entity": entity, "key": key},
            )
    migrate(blank, "head")
    with blank.connect() as connection:
        found = connection.execute(
            select(AuditEntry.entity, AuditEntry.entity_key, AuditEntry.household_id).order_by(
                AuditEntry.id
            )
        ).all()
        indexes = {i["name"] for i in inspect(connection).get_indexes("audit_log")}
    assert [tuple(row) for row in found] == PAST_CHANGES
    assert "ix_audit_log_household" in indexes
    migrate(blank, "0004_inspection", down=True)
    with blank.connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("audit_log")}
    assert "household_id" not in columns
    migrate(blank, "head")


def test_an_import_writes_the_household_of_every_change(engine: Engine, tmp_path: Path) -> None:
    import_file(engine, write_csv(tmp_path / "households.csv", family()), actor="t")
    surveys = [survey("H1", 1_500_000, {"water"}), survey("H2", 1_900_000, set())]
    import_file(engine, write_csv(tmp_path / "surveys.csv", surveys), actor="t")
    with engine.connect() as connection:
        ids = dict(connection.execute(select(Household.code, Household.id)).all())
        rows = connection.execute(
            select(AuditEntry.entity, AuditEntry.entity_key, AuditEntry.household_id).where(
                AuditEntry.entity.in_(["household", "person", "benefit", "survey"])
            )
        ).all()
    owner = {"P1": "H1", "P2": "H1", "P3": "H1", "P4": "H1", "P5": "H2", "P6": "H2"}
    for entity, key, household_id in rows:
        head = key.split("/")[0]
        code = head if entity in ("household", "survey") else owner[head]
        assert household_id == ids[code], (entity, key)
    assert {entity for entity, _, _ in rows} == {"household", "person", "benefit", "survey"}


def test_the_migrations_build_the_indexes_the_models_declare(blank: Engine) -> None:
    """Indexes are declared twice, in the models and in the migrations: they must agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    # Each registers its tables on the models' metadata.
    import ansinh.store.account_models
    import ansinh.store.exit_plan_models
    import ansinh.store.housing_models
    import ansinh.store.inspection_models
    import ansinh.store.job_models
    import ansinh.store.monitoring_models
    import ansinh.store.payroll_models
    import ansinh.store.review_models  # noqa: F401
    from ansinh.store.models import Base

    upgrade(blank)
    with blank.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    # PostgreSQL's word and word-pair indexes of names are expression indexes that only
    # migrations 0002, 0027 and 0028 know.
    expressions = ("ix_person_name_words", "ix_person_name_pairs", "ix_person_province_name_pairs")
    indexes = [
        d
        for d in differences
        if d[0] in ("add_index", "remove_index") and d[1].name not in expressions
    ]
    assert [(kind, index.name) for kind, index in indexes] == []


def test_0011_counts_the_people_of_the_households_already_held(blank: Engine) -> None:
    migrate(blank, "0010_result_deprivations")
    with blank.begin() as connection:
        _insert_households(connection, {7: "H/1", 8: "H/2"})
        for pid, relation, able, ethnicity in ((1, "head", True, "08"), (2, "child", False, "08"),
                                               (3, "spouse", True, "01")):  # fmt: skip
            connection.execute(
                text(
                    "INSERT INTO person (id, code, household_id, full_name, name_folded, "
                    "relation, able_to_work, ethnicity_code, updated_at) VALUES (:id, :code, 7, "
                    "'A', 'a', :relation, :able, :ethnicity, '2025-01-01')"
                ),
                {"id": pid, "code": f"P/{pid}", "relation": relation, "able": able,
                 "ethnicity": ethnicity},
            )  # fmt: skip
        connection.execute(
            text(
                "INSERT INTO benefit (person_id, programme, category) "
                "VALUES (2, 'meritorious', 'war_invalid')"
            )
        )
    migrate(blank, "head")
    with blank.connect() as connection:
        counted = connection.execute(
            text(
                "SELECT code, members, workers, head_ethnicity, meritorious_members "
                "FROM household ORDER BY code"
            )
        ).all()
    assert [tuple(row) for row in counted] == [("H/1", 3, 2, "08", 1), ("H/2", 0, 0, None, 0)]
    migrate(blank, "0010_result_deprivations", down=True)
    migrate(blank, "head")


OLD_INDICATORS = (
    '{"water": {"deprived_share": 0.5, "censored_headcount": 0.25, "contribution": 0.4}, '
    '"telecom": {"deprived_share": 0.0, "censored_headcount": 0.0, "contribution": 0.0}}'
)


def test_0012_keeps_each_indicators_people_counts_and_goes_back(blank: Engine) -> None:
    migrate(blank, "0011_household_facts")
    with blank.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO review_run (id, year, standard_id, provisional, actor, started_at, "
                "households, current) VALUES (1, 2025, 'vn-2022-2025', false, 't', "
                "'2025-12-15', 3, true)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO review_summary (run_id, unit_code, level, group_kind, group_value, "
                "households, people, poor_households, poor_people, near_poor_households, "
                "near_poor_people, average_households, mpi_h, mpi_a, mpi_m0, indicators) "
                "VALUES (1, '15', 'province', 'all', 'all', 3, 8, 1, 2, 0, 0, 2, 0.25, 0.5, "
                "0.125, :indicators)"
            ),
            [{"indicators": OLD_INDICATORS}, {"indicators": '{"water":[1,0]}'}],
        )  # the second written by a review of the new code before the migration ran
    migrate(blank, "head")
    with blank.connect() as connection:
        stored = connection.scalars(text("SELECT indicators FROM review_summary ORDER BY id"))
        assert [json.loads(s) for s in stored] == [
            {"water": [4, 2], "telecom": [0, 0]},
            {"water": [1, 0]},
        ]
    migrate(blank, "0011_household_facts", down=True)
    with blank.connect() as connection:
        first = "SELECT indicators FROM review_summary ORDER BY id LIMIT 1"
        back = json.loads(connection.scalar(text(first)))
    water = load_standard("vn-2022-2025").indicator_weights["water"]
    assert back["water"]["deprived_share"] == 0.5
    assert back["water"]["censored_headcount"] == 0.25
    assert back["water"]["contribution"] == pytest.approx(water * 0.25 / 0.125)
    migrate(blank, "head")


def test_a_migration_stopped_midway_leaves_the_database_as_it_was(
    blank: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0011 adds four columns, then fills them: stopped at the fill, none of them stay, and the
    migration runs again (on SQLite each ALTER TABLE used to commit on its own)."""
    migrate(blank, "0010_result_deprivations")

    def stopped(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("stopped")

    with monkeypatch.context() as patch:
        patch.setattr(Operations, "execute", stopped)
        with pytest.raises(RuntimeError, match="stopped"):
            upgrade(blank, "0011_household_facts")
    columns = {c["name"] for c in inspect(blank).get_columns("household")}
    assert "members" not in columns
    with blank.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == (
            "0010_result_deprivations"
        )
    upgrade(blank, "0011_household_facts")
    assert "members" in {c["name"] for c in inspect(blank).get_columns("household")}


def _review_result_parents(engine: Engine) -> set[str]:
    from sqlalchemy import inspect

    keys = inspect(engine).get_foreign_keys("review_result")
    return {key["referred_table"] for key in keys}


def test_0020_leaves_review_results_unchecked_on_postgresql_and_goes_back(blank: Engine) -> None:
    migrate(blank, "0020_review_results_unchecked")
    everything = {"review_run", "survey", "household"}
    unchecked = blank.dialect.name == "postgresql"
    assert _review_result_parents(blank) == (set() if unchecked else everything)
    migrate(blank, "0019_payroll_settled", down=True)
    assert _review_result_parents(blank) == everything
    if unchecked:  # added NOT VALID, then validated: checked like any other key
        with blank.connect() as connection:
            valid = connection.scalars(
                text(
                    "SELECT convalidated FROM pg_constraint "
                    "WHERE conrelid = to_regclass('review_result') AND contype = 'f'"
                )
            ).all()
        assert valid == [True, True, True]


def _foreign_keys(engine: Engine, table: str) -> set[str]:
    from sqlalchemy import inspect

    return {key["referred_table"] for key in inspect(engine).get_foreign_keys(table)}


def test_0030_leaves_payment_lines_unchecked_on_postgresql_and_goes_back(blank: Engine) -> None:
    migrate(blank, "0030_payment_lines_unchecked")
    everything = {"payment_run", "person"}
    unchecked = blank.dialect.name == "postgresql"
    assert _foreign_keys(blank, "payment_line") == (set() if unchecked else everything)
    assert _foreign_keys(blank, "benefit") == {"person"}  # a paid person's key stays
    migrate(blank, "0029_survey_household_index", down=True)
    assert _foreign_keys(blank, "payment_line") == everything


def test_0028_fills_the_people_held_with_their_province_then_swaps_the_name_index(
    blank: Engine,
) -> None:
    migrate(blank, "0027_name_pairs_postgres")
    with blank.begin() as connection:
        _insert_households(connection, {7: "H/1"})
        for pid in (1, 2):
            connection.execute(
                text(
                    "INSERT INTO person (id, code, household_id, full_name, name_folded, "
                    "relation, updated_at) VALUES (:id, :code, 7, 'A', 'a', 'head', '2025-01-01')"
                ),
                {"id": pid, "code": f"P/{pid}"},
            )
    upgrade(blank)  # the migrations, then the late indexes and their fill
    postgres = blank.dialect.name == "postgresql"
    with blank.connect() as connection:
        provinces = connection.scalars(text("SELECT province_code FROM person")).all()
        assert provinces == (["15", "15"] if postgres else [None, None])
        if postgres:
            indexes = connection.execute(
                text(
                    "SELECT c.relname, i.indisvalid FROM pg_index i "
                    "JOIN pg_class c ON c.oid = i.indexrelid "
                    "WHERE c.relname LIKE 'ix_person%name_pairs' "
                    "AND c.relnamespace = CAST(current_schema() AS regnamespace)"
                )
            ).all()
            assert indexes == [("ix_person_province_name_pairs", True)]
    migrate(blank, "0027_name_pairs_postgres", down=True)
    with blank.connect() as connection:
        columns = connection.execute(text("SELECT * FROM person")).keys()
    assert "province_code" not in columns


def _insert_result(connection: Connection, household_id: int, run_id: int = 1) -> None:
    connection.execute(
        text(
            "INSERT INTO review_result (run_id, survey_id, household_id, commune_code, status, "
            "deprivation_count, mpi_score, members, workers, meritorious_members) "
            "VALUES (:run, 1, :household, '04465', 'poor', 3, 0.25, 2, 1, 0)"
        ),
        {"household": household_id, "run": run_id},
    )


def _review_result_keys(engine: Engine) -> tuple[list[str], dict[str, list[str]]]:
    found = inspect(engine)
    key = found.get_pk_constraint("review_result")["constrained_columns"]
    return key, {i["name"]: i["column_names"] for i in found.get_indexes("review_result")}


def _insert_a_run(connection: Connection, run_id: int = 1) -> None:
    """A run of households 7 and 8's commune, with a questionnaire of household 7."""
    if run_id == 1:
        _insert_households(connection, {7: "H/1", 8: "H/2"})
        connection.execute(
            text(
                "INSERT INTO survey (id, household_id, year, survey_date, kind, stage, area, "
                "income_per_capita, updated_at) VALUES "
                "(1, 7, 2025, '2025-12-14', 'annual', 'surveyed', 'rural', 1, '2025-12-14')"
            )
        )
    connection.execute(
        text(
            "INSERT INTO review_run (id, year, standard_id, provisional, actor, started_at, "
            "households, current) VALUES (:id, 2025, 'x', false, 't', '2025-12-14', 2, true)"
        ),
        {"id": run_id},
    )


def test_0031_keys_each_result_by_its_run_and_household_and_goes_back(blank: Engine) -> None:
    migrate(blank, "0030_payment_lines_unchecked")
    with blank.begin() as connection:
        _insert_a_run(connection)
        _insert_result(connection, 7)
    upgrade(blank)  # the migrations, then the key's index, then the old index dropped
    postgres = blank.dialect.name == "postgresql"
    # SQLite's id is its rowid: a key that costs no index.
    assert _review_result_keys(blank) == (
        [] if postgres else ["id"],
        {"ux_review_result_run_household": ["run_id", "household_id"]},
    )
    with blank.begin() as connection:
        _insert_result(connection, 8)  # another household of the run
        assert connection.scalar(text("SELECT count(*) FROM review_result")) == 2
    with pytest.raises(IntegrityError), blank.begin() as connection:
        _insert_result(connection, 7)  # a household's second result in a run
    migrate(blank, "0030_payment_lines_unchecked", down=True)
    assert _review_result_keys(blank) == (
        ["id"],
        {"ix_review_result_household_run": ["household_id", "run_id"]},
    )


def test_0032_leaves_review_summaries_unchecked_on_postgresql_and_goes_back(
    blank: Engine,
) -> None:
    migrate(blank, "0032_review_summary_unchecked")
    unchecked = blank.dialect.name == "postgresql"
    assert _foreign_keys(blank, "review_summary") == (set() if unchecked else {"review_run"})
    migrate(blank, "0031_review_result_key", down=True)
    assert _foreign_keys(blank, "review_summary") == {"review_run"}


def _partitions(connection: Connection) -> dict[str, str]:
    found = connection.execute(
        text(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass('review_result')"
        )
    )
    return {name: bound for name, bound in found}


def test_0033_makes_the_results_held_the_partition_of_their_runs_and_goes_back(
    blank: Engine,
) -> None:
    migrate(blank, "0032_review_summary_unchecked")
    with blank.begin() as connection:
        _insert_a_run(connection, 1)
        _insert_a_run(connection, 2)
        for run, household in ((1, 7), (1, 8), (2, 7)):
            _insert_result(connection, household, run)
    upgrade(blank)
    with blank.connect() as connection:
        partitions = _partitions(connection) if blank.dialect.name == "postgresql" else {}
        held = connection.execute(
            text("SELECT run_id, household_id FROM review_result ORDER BY 1, 2")
        )
        assert [tuple(row) for row in held] == [(1, 7), (1, 8), (2, 7)]
    if blank.dialect.name == "postgresql":  # SQLite keeps one table
        assert partitions == {"review_result_held": "FOR VALUES IN (1, 2)"}
        with pytest.raises(IntegrityError), blank.begin() as connection:
            _insert_result(connection, 7, 2)  # the key holds in the partition
    migrate(blank, "0032_review_summary_unchecked", down=True)
    with blank.connect() as connection:
        held = connection.execute(
            text("SELECT run_id, household_id FROM review_result ORDER BY 1, 2")
        )
        assert [tuple(row) for row in held] == [(1, 7), (1, 8), (2, 7)]
    assert _review_result_keys(blank)[1] == {
        "ux_review_result_run_household": ["run_id", "household_id"]
    }
