"""The official units from vietnam-provinces: 34 provinces and 3,321 communes since 1 July 2025."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, insert, update

from ansinh.store.models import Unit
from ansinh.store.units import closure_frame, unit_names, units_valid_on


def test_the_registry_holds_the_2025_units(engine: Engine) -> None:
    with engine.connect() as connection:
        assert len(units_valid_on(connection, date(2025, 7, 1), "province")) == 34
        assert len(units_valid_on(connection, date(2025, 7, 1), "commune")) == 3321
        assert units_valid_on(connection, date(2025, 6, 30), "commune") == set()


def test_every_commune_rolls_up_to_its_province_and_the_country(engine: Engine) -> None:
    with engine.connect() as connection:
        closure = closure_frame(connection)
    khao_mang = set(closure.filter(unit_code="04465")["ancestor_code"].to_list())
    assert khao_mang == {"04465", "15", "VN"}


def test_unit_names_are_kept_and_read_again_for_a_unit_just_added(engine: Engine) -> None:
    # Never committed: on PostgreSQL the official units outlive each test (a rename committed
    # here showed "Renamed" on a later test's dashboard).
    with engine.connect() as connection:
        assert unit_names(connection, {"04465"})["04465"] == "Xã Khao Mang"
        connection.execute(
            insert(Unit).values(
                code="04465-77", parent_code="04465", level="village", name="Thôn Mới",
                division_type="thôn", valid_from=date(2025, 7, 1), legacy=False,
            )
        )  # fmt: skip
        connection.execute(update(Unit).where(Unit.code == "04465").values(name="Renamed"))
        names = unit_names(connection, {"04465-77"})
    assert names["04465-77"] == "Thôn Mới"  # missing from the names kept: read again
    assert names["04465"] == "Renamed"
