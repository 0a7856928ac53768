"""The dashboard (issue 16, item 8): bars on one labelled 0-100 % scale, a tile map of
communes by poverty band, the trend as lines once there are two years, a sortable table."""

from __future__ import annotations

import re
from pathlib import Path

from tests.builders import KHAO_MANG, MU_CANG_CHAI, survey, write_csv
from tests.web.conftest import POOR_DEPRIVATIONS, Site

from ansinh.domain.poverty import load_standard
from ansinh.io.importer import import_file
from ansinh.store.dashboard import UnitFigures, YearFigures
from ansinh.store.review import run_review
from ansinh.web.charts import band, ordered, trend_chart


def test_every_bar_is_on_one_scale_with_its_value_printed(site: Site) -> None:
    page = site.browser("admin").get("/units/15").text
    # Khao Mang: 1 poor household of 1 (100 %); Mù Cang Chải: 0 of 1; the province 1 of 2.
    fills = re.findall(r'<rect x="0" y="0" width="([\d.]+)" height="10" class="fill">', page)
    assert fills and all(0 <= float(w) <= 100 for w in fills)
    khao_mang = page[page.index(f'<a href="/units/{KHAO_MANG}">Xã Khao Mang</a></th>') :]
    assert re.search(r'width="100(\.0)?" height="10" class="fill"', khao_mang[:900])
    assert "100,0 %</span>" in khao_mang[:1200]
    # The scale is labelled in every chart's header: 0 % to 100 with the quarters between.
    axes = re.findall(r'<svg class="axis".*?</svg>', page, re.S)
    assert axes and all(
        re.findall(r">(\d+)(?: %)?</text>", a) == ["0", "25", "50", "75", "100"] for a in axes
    )
    assert '<svg class="bar scale"' in page and 'class="bar"' not in page


def test_communes_are_tiles_coloured_by_band_with_a_legend(site: Site) -> None:
    page = site.browser("admin").get("/units/15").text
    tiles = re.findall(r'<a class="tile band-(\d)" href="/units/(\d+)">', page)
    assert {code: int(b) for b, code in tiles} == {KHAO_MANG: 4, MU_CANG_CHAI: 0}
    assert "từ 0 % đến dưới 5 %" in page and "từ 40 % trở lên" in page
    assert '<span class="tile-value">100,0 %' in page  # the value in text, not colour alone


def test_the_commune_table_sorts_by_any_column(site: Site) -> None:
    admin = site.browser("admin")

    def order(query: str) -> list[str]:
        table = admin.get(f"/units/15{query}").text.split('<table class="units">')[1]
        return re.findall(r'<th scope="row"><a href="/units/(\d+)">', table)

    assert order("") == [KHAO_MANG, MU_CANG_CHAI]  # by name: Khao before Mù
    assert order("?sort=poor_rate&order=desc") == [KHAO_MANG, MU_CANG_CHAI]
    assert order("?sort=poor_rate&order=asc") == [MU_CANG_CHAI, KHAO_MANG]
    assert order("?sort=name&order=desc") == [MU_CANG_CHAI, KHAO_MANG]
    page = admin.get("/units/15?sort=poor_rate&order=asc").text
    assert 'aria-sort="ascending"' in page and "sort=poor_rate&amp;order=desc" in page
    assert admin.get("/units/15?sort=drop&order=up").status_code == 200


def test_the_trend_is_drawn_once_there_are_two_years(site: Site, tmp_path: Path) -> None:
    admin = site.browser("admin")
    assert '<svg class="trend"' not in admin.get("/units/15").text  # one year: a table only
    surveys = [
        survey("H1", 1_500_000, POOR_DEPRIVATIONS, year=2024),
        survey("H2", 1_000_000, POOR_DEPRIVATIONS, year=2024),
    ]
    import_file(site.engine, write_csv(tmp_path / "s2024.csv", surveys), actor="tester")
    run_review(site.engine, 2024, load_standard("vn-2022-2025"), "tester")
    page = admin.get("/units/15").text
    assert '<svg class="trend"' in page and '<polyline class="poor"' in page
    assert "Năm" in page and ">2024</text>" in page and ">2025</text>" in page
    assert "100,0 %</text>" in page and "50,0 %</text>" in page  # 2 of 2 poor, then 1 of 2


def test_chart_arithmetic() -> None:
    assert [band(r) for r in (0.0, 0.049, 0.05, 0.1999, 0.2, 0.4, 1.0)] == [0, 0, 1, 2, 3, 4, 4]
    units = [
        UnitFigures("2", "Xã Âu Lâu", "commune"),
        UnitFigures("1", "Xã Yên", "commune"),
        UnitFigures("3", "Xã An", "commune"),
    ]
    assert [u.name for u in ordered(units, "name", "asc")] == ["Xã An", "Xã Âu Lâu", "Xã Yên"]
    years = [
        YearFigures(2024, "s", False, 10, 0.3, 0.1, 0.1),
        YearFigures(2025, "s", False, 10, 0.12, 0.05, 0.05),
    ]
    chart = trend_chart(years)
    assert chart.top == 30 and chart.poor[0].y == chart.ticks[-1][0]  # 30 % at the top tick
    assert chart.poor[1].x > chart.poor[0].x and chart.near_poor[1].y > chart.poor[1].y
