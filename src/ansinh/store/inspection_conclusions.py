"""The inspector's conclusions: decided pairs, overlap decisions, confirmed duplicates."""

from __future__ import annotations

import json
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Connection, and_, delete, func, insert, or_, select

from ansinh.store.audit import now, record_change
from ansinh.store.inspection_models import (
    InspectionCandidate,
    InspectionDecision,
    InspectionFinding,
    InspectionFindingDecision,
)
from ansinh.store.models import Household, Person

FINDING_DECISIONS = ("confirm", "dismiss")


def decided_pairs(connection: Connection) -> pl.DataFrame:
    """Every decided pair with its newest candidate's id, probability and evidence, and the
    decision: id, person_l, person_r, match_probability, evidence, decision, note, actor."""
    newest = (
        select(
            InspectionCandidate.person_l,
            InspectionCandidate.person_r,
            func.max(InspectionCandidate.id).label("id"),
        )
        .group_by(InspectionCandidate.person_l, InspectionCandidate.person_r)
        .subquery()
    )
    query = (
        select(
            InspectionCandidate.id,
            InspectionCandidate.person_l,
            InspectionCandidate.person_r,
            InspectionCandidate.match_probability,
            InspectionCandidate.evidence,
            InspectionDecision.decision,
            InspectionDecision.note,
            InspectionDecision.actor,
        )
        .select_from(InspectionDecision)
        .join(
            newest,
            and_(
                newest.c.person_l == InspectionDecision.person_l,
                newest.c.person_r == InspectionDecision.person_r,
            ),
        )
        .join(InspectionCandidate, InspectionCandidate.id == newest.c.id)
        .order_by(InspectionCandidate.match_probability.desc(), InspectionCandidate.id)
    )
    schema = {
        "id": pl.Int64,
        "person_l": pl.String,
        "person_r": pl.String,
        "match_probability": pl.Float64,
        "evidence": pl.String,
        "decision": pl.String,
        "note": pl.String,
        "actor": pl.String,
    }
    return pl.DataFrame(connection.execute(query).all(), schema=schema, orient="row")


def candidate_pairs(connection: Connection, ids: list[int]) -> dict[int, tuple[str, str]]:
    """person_l and person_r of the candidates `ids` (any run)."""
    query = select(
        InspectionCandidate.id, InspectionCandidate.person_l, InspectionCandidate.person_r
    ).where(InspectionCandidate.id.in_(ids))
    return {row[0]: (row[1], row[2]) for row in connection.execute(query)}


def finding_decisions(connection: Connection) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(rule, people JSON) -> (decision, note) of every concluded overlap finding."""
    query = select(
        InspectionFindingDecision.rule,
        InspectionFindingDecision.people,
        InspectionFindingDecision.decision,
        InspectionFindingDecision.note,
    )
    return {(r[0], r[1]): (r[2], r[3]) for r in connection.execute(query)}


def findings_by_id(connection: Connection, ids: list[int]) -> dict[int, tuple[str, str]]:
    """rule and people JSON of the findings `ids`."""
    query = select(InspectionFinding.id, InspectionFinding.rule, InspectionFinding.people).where(
        InspectionFinding.id.in_(ids)
    )
    return {row[0]: (row[1], row[2]) for row in connection.execute(query)}


def decide_finding(
    connection: Connection,
    finding_id: int,
    decision: str,
    *,
    actor: str,
    note: str | None = None,
) -> None:
    """Record an inspector's conclusion on an overlap finding (replacing an earlier), audited.

    `confirm`: the benefits overlap and one must stop; `dismiss`: no overlap (e.g. the two
    records are two people, or the rule's exception applies).
    """
    if decision not in FINDING_DECISIONS:
        raise ValueError(f"decision must be one of {FINDING_DECISIONS}: {decision!r}")
    rule, people = findings_by_id(connection, [finding_id])[finding_id]
    same = and_(InspectionFindingDecision.rule == rule, InspectionFindingDecision.people == people)
    before = connection.execute(select(InspectionFindingDecision).where(same)).one_or_none()
    after = {
        "rule": rule,
        "people": people,
        "decision": decision,
        "note": note,
        "actor": actor,
        "decided_at": now(),
    }
    connection.execute(delete(InspectionFindingDecision).where(same))
    connection.execute(insert(InspectionFindingDecision), after)
    record_change(
        connection,
        actor=actor,
        action="update" if before else "insert",
        entity="inspection_finding_decision",
        key=f"{rule}|{people}"[:200],
        before=None if before is None else dict(before._mapping),
        after=after,
        unit_code=_commune_of_first(connection, people),
    )


def _commune_of_first(connection: Connection, people: str) -> str | None:
    """The commune of the first person a finding names: where its conclusion is audited."""
    codes = json.loads(people or "[]")
    if not codes:
        return None
    return connection.scalar(
        select(Household.commune_code)
        .join(Person, Person.household_id == Household.id)
        .where(Person.code == str(codes[0]))
    )


@dataclass(frozen=True)
class ConfirmedDuplicate:
    """A member of a household confirmed to be the same person as another record."""

    person_code: str
    person_name: str
    other_code: str
    other_name: str | None
    other_household_id: int | None
    other_household_code: str | None
    other_commune_code: str | None


def confirmed_duplicates(
    connection: Connection, household_id: int, members: dict[str, str] | None = None
) -> list[ConfirmedDuplicate]:
    """The household's members that an inspector confirmed as duplicates, with the other;
    `members` (code: name), where the caller has read them already."""
    if members is None:
        members = dict(
            connection.execute(
                select(Person.code, Person.full_name).where(Person.household_id == household_id)
            ).all()
        )
    if not members:
        return []
    codes = sorted(members)
    rows = connection.execute(
        select(InspectionDecision.person_l, InspectionDecision.person_r).where(
            InspectionDecision.decision == "confirm",
            or_(InspectionDecision.person_l.in_(codes), InspectionDecision.person_r.in_(codes)),
        )
    ).all()
    pairs = [(a, b) if a in members else (b, a) for a, b in rows]
    if not pairs:  # most households
        return []
    others = {
        row[0]: row[1:]
        for row in connection.execute(
            select(
                Person.code, Person.full_name, Household.id, Household.code, Household.commune_code
            )
            .join(Household, Household.id == Person.household_id)
            .where(Person.code.in_(sorted({b for _, b in pairs})))
        )
    }
    return [
        ConfirmedDuplicate(a, members[a], b, *(others.get(b) or (None, None, None, None)))
        for a, b in pairs
    ]
