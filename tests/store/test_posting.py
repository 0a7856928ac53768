"""The lists to post, read for many communes in one query: the same as one commune's, and a
commune with nothing on its lists gets an empty list."""

from __future__ import annotations

from sqlalchemy import Engine
from tests.builders import KHAO_MANG, MU_CANG_CHAI
from tests.store.test_review_stages import reviewed  # noqa: F401

from ansinh.store.posting import posted_list, posted_lists
from ansinh.store.review_stages import drafts


def test_many_communes_at_once(reviewed: Engine) -> None:  # noqa: F811
    with reviewed.connect() as connection:
        one = posted_list(connection, KHAO_MANG, 2025)
        many = posted_lists(connection, [KHAO_MANG, MU_CANG_CHAI], 2025)
        assert drafts(connection, [KHAO_MANG, MU_CANG_CHAI], 2025) == {KHAO_MANG, MU_CANG_CHAI}
    assert one.height >= 1 and many[KHAO_MANG].equals(one)
    assert many[MU_CANG_CHAI].is_empty() and many[MU_CANG_CHAI].columns == one.columns
