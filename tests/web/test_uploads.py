"""Uploads from the browser: kept within the officer's units, never naming what lies outside."""

from __future__ import annotations

from pathlib import Path

from tests.builders import person, write_csv
from tests.web.conftest import Site, csrf_of


def test_a_dry_run_upload_does_not_name_another_communes_household(
    site: Site, tmp_path: Path
) -> None:
    """Trust issue, item 3: a foreign person_id answered 'already belongs to household H2'."""
    rows = [person("P5", "H9", "Nguyễn Văn Hùng", "head", birth_date="1980", sex="M")]
    path = write_csv(tmp_path / "do.csv", rows)
    officer = site.browser("officer")
    token = csrf_of(officer.get("/import").text)
    answer = officer.post(
        "/import",
        data={"csrf_token": token, "dry_run": "true"},
        files={"file": ("do.csv", path.read_bytes(), "text/csv")},
    )
    assert answer.status_code == 400 and "ngoài phạm vi" in answer.text
    assert "H2" not in answer.text
