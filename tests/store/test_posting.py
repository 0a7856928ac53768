"""The lists to post, read for many communes in one query: the same as one commune's, and a
commune with nothing on its lists gets an empty list."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from tests.builders import KHAO_MANG, MU_CANG_CHAI
from tests.store.test_review_stages import reviewed  # noqa: F401

from ansinh.store import posting
from ansinh.store.posting import posted_list, posted_lists
from ansinh.store.review_stages import drafts


def test_many_communes_at_once(reviewed: Engine) -> None:  # noqa: F811
    with reviewed.connect() as connection:
        one = posted_list(connection, KHAO_MANG, 2025)
        many = posted_lists(connection, [KHAO_MANG, MU_CANG_CHAI], 2025)
        assert drafts(connection, [KHAO_MANG, MU_CANG_CHAI], 2025) == {KHAO_MANG, MU_CANG_CHAI}
    assert one.height >= 1 and many[KHAO_MANG].equals(one)
    assert many[MU_CANG_CHAI].is_empty() and many[MU_CANG_CHAI].columns == one.columns


def test_a_province_is_read_through_its_results_the_same(
    reviewed: Engine,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """More than FEW_COMMUNES communes are read from the runs' results grouped by household;
    fewer through their households: the same lists either way."""
    communes = [KHAO_MANG, MU_CANG_CHAI]
    with reviewed.connect() as connection:
        few = posted_lists(connection, communes, 2025)
        monkeypatch.setattr(posting, "FEW_COMMUNES", 1)
        many = posted_lists(connection, communes, 2025)
    assert few[KHAO_MANG].height >= 1
    assert all(many[code].equals(few[code]) for code in communes)
