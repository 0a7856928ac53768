"""The official units from vietnam-provinces: 34 provinces and 3,321 communes since 1 July 2025."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from ansinh.store.units import closure_frame, units_valid_on


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
