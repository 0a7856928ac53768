"""A province's posting in one go: every commune's public lists as files in a folder, read in
one query (store.posting.posted_lists) and written one file a commune."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection

from ansinh.io.posting_files import write_posting
from ansinh.store.posting import posted_lists
from ansinh.store.review_stages import drafts
from ansinh.store.units import unit_names


def posting_name(commune: str, year: int, suffix: str) -> str:
    return f"niem-yet-{commune}-{year}{suffix}"


def write_postings(
    connection: Connection, communes: list[str], year: int, folder: Path, suffix: str
) -> list[Path]:
    """Each commune's lists as `folder/niem-yet-CODE-YEAR.SUFFIX` (each file whole or not at
    all; a draft until its village meeting); the files written."""
    names = unit_names(connection, set(communes))
    lists = posted_lists(connection, communes, year)
    draft = drafts(connection, communes, year)
    written = []
    for code in communes:
        target = folder / posting_name(code, year, suffix)
        write_posting(lists[code], target, names.get(code, code), year, draft=code in draft)
        written.append(target)
    return written
