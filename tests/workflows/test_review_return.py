"""The province sends a commune's report back (stages.yaml `returns`): refused without a
reason, without the right, outside one's units, before the report and after the sign-off, each
writing nothing; a return undoes `reported`, keeps the recognition's lock, is audited and shown
until the commune reports again (on or after the return); on both backends' rules."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select
from tests.builders import KHAO_MANG, MU_CANG_CHAI
from tests.store.test_review_stages import TODAY, reviewed, stage, up_to_posting  # noqa: F401

from ansinh.errors import InputError
from ansinh.store.models import AuditEntry
from ansinh.store.review_models import ReviewReturn, ReviewStage
from ansinh.store.review_returns import open_returns, returns_of
from ansinh.store.review_stages import StagePapers, is_recognised, province_progress
from ansinh.store.scope import WHOLE_REGISTRY, Scope
from ansinh.workflows.review_return import send_back


def send(engine: Engine, on: date, reason: str = "Thiếu biên bản họp thôn 3", **kw: object) -> None:
    with engine.begin() as connection:
        send_back(
            connection,
            commune=KHAO_MANG,
            year=2025,
            on=on,
            reason=reason,
            actor="province",
            scope=kw.get("scope", WHOLE_REGISTRY),  # type: ignore[arg-type]
            today=TODAY,
            province=bool(kw.get("province", True)),
        )


def counts(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as connection:
        return (
            int(connection.scalar(select(func.count()).select_from(ReviewStage)) or 0),
            int(connection.scalar(select(func.count()).select_from(ReviewReturn)) or 0),
            int(
                connection.scalar(select(func.count()).where(AuditEntry.action == "review_return"))
                or 0
            ),
        )


def up_to_report(engine: Engine) -> None:
    up_to_posting(engine)
    stage(engine, "complaints_heard", date(2025, 11, 6))
    stage(engine, "recognised", date(2025, 11, 7), StagePapers(decision_no="45/QĐ-UBND"))


def test_nothing_is_sent_back_before_the_report(reviewed: Engine) -> None:  # noqa: F811
    up_to_report(reviewed)
    with pytest.raises(InputError, match="nothing to send back"):
        send(reviewed, date(2025, 11, 8))
    assert counts(reviewed) == (6, 0, 0)


def test_the_province_sends_back_and_the_commune_reports_again(reviewed: Engine) -> None:  # noqa: F811
    up_to_report(reviewed)
    stage(reviewed, "reported", date(2025, 11, 8))
    refusals = [
        ({"reason": "  "}, "lý do"),  # Điều 4 khoản 4: the commune must know what to correct
        ({"province": False}, "Only the province"),
        ({"scope": Scope(frozenset({MU_CANG_CHAI}), frozenset({MU_CANG_CHAI}))}, "outside"),
    ]
    for kw, message in refusals:
        with pytest.raises(InputError, match=message):
            send(reviewed, date(2025, 11, 10), **kw)
    with pytest.raises(InputError, match="before the commune reported"):
        send(reviewed, date(2025, 11, 7))
    assert counts(reviewed) == (7, 0, 0)

    send(reviewed, date(2025, 11, 10))
    assert counts(reviewed) == (6, 1, 1)  # `reported` undone; the return kept and audited
    with reviewed.connect() as connection:
        assert is_recognised(connection, KHAO_MANG, 2025)  # the chair's decision stands: locked
        (shown,) = open_returns(connection, [KHAO_MANG], 2025).values()
        assert shown.reason == "Thiếu biên bản họp thôn 3" and shown.back_to == "recognised"
        assert shown.stage_done_on == date(2025, 11, 8)
        row = province_progress(connection, [KHAO_MANG], 2025, TODAY).row(0, named=True)
        assert row["reached"] == "recognised" and row["returned_on"] == date(2025, 11, 10)
        audit = connection.execute(
            select(AuditEntry.before, AuditEntry.unit_code).where(
                AuditEntry.action == "review_return"
            )
        ).one()
    assert '"reported"' in audit.before and "2025-11-08" in audit.before
    assert audit.unit_code == KHAO_MANG

    with pytest.raises(InputError, match="before the province sent the report back"):
        stage(reviewed, "reported", date(2025, 11, 9))
    stage(reviewed, "reported", date(2025, 11, 11))
    with reviewed.connect() as connection:
        assert open_returns(connection, [KHAO_MANG], 2025) == {}  # shown until reported again
        assert len(returns_of(connection, KHAO_MANG, 2025)) == 1  # the history stays

    stage(reviewed, "approved", date(2025, 11, 20), province=True)
    with pytest.raises(InputError, match="no longer be sent back"):
        send(reviewed, date(2025, 11, 21))
    assert counts(reviewed) == (8, 1, 1)
