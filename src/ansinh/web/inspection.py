"""The review queue as pages show it: pairs with both people and their evidence, and findings."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import Connection, select

from ansinh.linkage.evidence import Evidence
from ansinh.store import inspection
from ansinh.store.models import Household, Person
from ansinh.store.scope import Scope


@dataclass(frozen=True)
class PersonRef:
    """A person named on the queue, with the household to follow; None fields when unknown."""

    code: str
    name: str | None
    household_id: int | None
    household_code: str | None
    commune_code: str | None


@dataclass(frozen=True)
class Pair:
    id: int
    left: PersonRef
    right: PersonRef
    match_probability: float
    evidence: list[Evidence]


@dataclass(frozen=True)
class Finding:
    rule: str
    rule_name: str | None
    people: list[PersonRef]
    benefits: list[str]


@dataclass(frozen=True)
class ReviewQueue:
    run_id: int | None
    pairs: list[Pair]
    total: int
    findings: list[Finding]


def people_by_code(connection: Connection, codes: set[str]) -> dict[str, PersonRef]:
    query = (
        select(Person.code, Person.full_name, Household.id, Household.code, Household.commune_code)
        .join(Household, Household.id == Person.household_id)
        .where(Person.code.in_(sorted(codes)))
    )
    return {row[0]: PersonRef(*row) for row in connection.execute(query)}


def _ref(found: dict[str, PersonRef], code: str) -> PersonRef:
    return found.get(code) or PersonRef(code, None, None, None, None)


def _sees(scope: Scope, people: list[PersonRef]) -> bool:
    """A pair or finding is the viewer's when one of its people lives in the viewer's scope."""
    return scope.everything or any(
        p.commune_code is not None and scope.has_commune(p.commune_code) for p in people
    )


def _evidence(text: str) -> list[Evidence]:
    items: list[dict[str, Any]] = json.loads(text or "[]")
    return [
        Evidence(
            str(e.get("field")),
            str(e.get("level")),
            _text(e.get("left")),
            _text(e.get("right")),
            float(e.get("weight") or 0.0),
            bool(e.get("agreed")),
            str(e.get("text_vi") or ""),
            str(e.get("text_en") or ""),
        )
        for e in items
    ]


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def review_queue(connection: Connection, scope: Scope, page: int, page_size: int) -> ReviewQueue:
    """The latest run's pending pairs (one page of those in scope) and its findings in scope."""
    run_id = inspection.latest_run(connection)
    if run_id is None:
        return ReviewQueue(None, [], 0, [])
    pending = inspection.queue(connection, run_id)
    found = inspection.findings(connection, run_id)
    listed = [json.loads(p or "[]") for p in found["people"]]
    codes = set(pending["person_l"]) | set(pending["person_r"]) | {c for p in listed for c in p}
    people = people_by_code(connection, codes)
    seen = [c for c, p in people.items() if _sees(scope, [p])]
    mine = pl.col("person_l").is_in(seen) | pl.col("person_r").is_in(seen)
    pending = pending if scope.everything else pending.filter(mine)
    start = (page - 1) * page_size
    pairs = [
        Pair(
            row["id"],
            _ref(people, row["person_l"]),
            _ref(people, row["person_r"]),
            row["match_probability"],
            _evidence(row["evidence"]),
        )
        for row in pending.slice(start, page_size).iter_rows(named=True)
    ]
    findings = [
        Finding(
            row["rule"],
            row["rule_name"],
            [_ref(people, c) for c in codes_],
            _benefits(row["detail"]),
        )
        for row, codes_ in zip(found.iter_rows(named=True), listed, strict=True)
    ]
    findings = [f for f in findings if _sees(scope, f.people)]
    return ReviewQueue(run_id, pairs, pending.height, findings)


def _benefits(detail: str | None) -> list[str]:
    loaded = json.loads(detail or "{}")
    benefits = loaded.get("benefits", []) if isinstance(loaded, dict) else []
    return [str(b) for b in benefits or []]


def pending_in_scope(connection: Connection, scope: Scope, candidate_id: int) -> bool:
    """Whether the candidate is pending in the latest run and one of its people is in scope."""
    run_id = inspection.latest_run(connection)
    if run_id is None:
        return False
    pending = inspection.queue(connection, run_id).filter(pl.col("id") == candidate_id)
    if pending.is_empty():
        return False
    codes = {pending["person_l"][0], pending["person_r"][0]}
    people = people_by_code(connection, codes)
    return _sees(scope, [_ref(people, c) for c in codes])
