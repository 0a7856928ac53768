"""A stored inspection run of small literal households: many queued pairs and one finding."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, insert
from tests.builders import MU_CANG_CHAI, person, write_csv

from ansinh.io.importer import import_file
from ansinh.store.audit import now
from ansinh.store.inspection_models import InspectionCandidate, InspectionFinding, InspectionRun

PAIRS = 30  # more than a page (25)
# Evidence as the queue stored it before levels had words (issue 16, item 9): the page must
# still say it in words, from the comparisons file, never the level's technical label.
OLD_EVIDENCE = [
    {
        "field": "surname",
        "level": "same surname, same diacritics",
        "left": "Lò",
        "right": "Lò",
        "weight": 2.5,
        "agreed": True,
    },
    {
        "field": "address",
        "level": "similar address",
        "left": "thon vang2",
        "right": "vang2",
        "weight": 1.2,
        "agreed": True,
    },
    {
        "field": "citizen_id",
        "level": "missing",
        "left": None,
        "right": "015070000999",
        "weight": 0.0,
        "agreed": False,
    },
    {
        "field": "birth",
        "level": "years one apart",
        "left": "1961-04-04",
        "right": "1962-04-04",
        "weight": -3.1,
        "agreed": False,
    },
]


def queue_pairs(engine: Engine, folder: Path) -> dict[str, int]:
    """People Q00..Q30 of Khao Mang (Q30 in Mù Cang Chải), pairs (Q00, Qn) with probabilities
    0.999 (n 1-10), 0.97 (11-20), 0.92 (21-30), and a social-assistance overlap of Q00 and Q01.
    Returns the candidate id of each pair by the other person's code."""
    people = [
        person(
            f"Q{n:02d}",
            f"HQ{n:02d}",
            f"Lò Văn Sinh {n}",
            "head",
            birth_date="1962-04-04",
            sex="M",
            ethnicity="Thái",
        )
        for n in range(PAIRS)
    ]
    people.append(
        person(
            "Q30",
            "HQ30",
            "Lò Văn Sinh",
            "head",
            birth_date="1961-04-04",
            sex="M",
            commune_code=MU_CANG_CHAI,
            village_code=f"{MU_CANG_CHAI}-01",
        )
    )
    import_file(engine, write_csv(folder / "queued.csv", people), actor="tester")
    ids: dict[str, int] = {}
    with engine.begin() as connection:
        run_id = connection.execute(
            insert(InspectionRun).returning(InspectionRun.id),
            {
                "year": 2025,
                "engine": "duckdb",
                "threshold": 0.9,
                "actor": "tester",
                "started_at": now(),
                "people": PAIRS + 1,
                "candidates": PAIRS,
                "findings": 1,
            },
        ).scalar_one()
        for n in range(1, PAIRS + 1):
            probability = 0.999 if n <= 10 else (0.97 if n <= 20 else 0.92)
            ids[f"Q{n:02d}"] = connection.execute(
                insert(InspectionCandidate).returning(InspectionCandidate.id),
                {
                    "run_id": run_id,
                    "person_l": "Q00",
                    "person_r": f"Q{n:02d}",
                    "cluster_id": "Q00",
                    "match_probability": probability,
                    "match_weight": 10.0,
                    "evidence": json.dumps(OLD_EVIDENCE),
                    "fingerprint_l": "f0",
                    "fingerprint_r": f"f{n}",
                },
            ).scalar_one()
        connection.execute(
            insert(InspectionFinding),
            {
                "run_id": run_id,
                "rule": "social_assistance_rules",
                "cluster_id": "Q00",
                "people": json.dumps(["Q00", "Q01"]),
                "detail": json.dumps({"benefits": ["social_assistance:elderly_poor"]}),
            },
        )
    return ids
