"""A province's posting in one go: every commune's public lists as files in a folder, read in
one query (store.posting.posted_lists) and written one file a commune."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import polars as pl
from sqlalchemy import Connection

from ansinh.io.posting_files import prepare_pdf, write_posting
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
    workers = min(len(os.sched_getaffinity(0)), len(communes))
    if suffix != ".pdf" or workers < 2:
        files = _files(connection, communes, year, folder, suffix)
        for file in files:
            file.write()
        return [file.target for file in files]
    # Drawing a PDF is Python's work, a commune at a time: the communes go to a process a core,
    # the longest lists first so that no core is left with one at the end. The processes start
    # (imports, the fonts cut: about 1.5 s) while the lists are read.
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        ready = [pool.submit(prepare_pdf) for _ in range(workers)]
        files = _files(connection, communes, year, folder, suffix)
        for started in ready:
            started.result()
        list(pool.map(_File.write, sorted(files, key=lambda file: -file.lists.height)))
    return [file.target for file in files]


def _files(
    connection: Connection, communes: list[str], year: int, folder: Path, suffix: str
) -> list[_File]:
    names = unit_names(connection, set(communes))
    lists = posted_lists(connection, communes, year)
    draft = drafts(connection, communes, year)
    return [
        _File(
            lists[code],
            folder / posting_name(code, year, suffix),
            names.get(code, code),
            year,
            code in draft,
        )
        for code in communes
    ]


@dataclass(frozen=True)
class _File:
    lists: pl.DataFrame
    target: Path
    commune_name: str
    year: int
    draft: bool

    def write(self) -> None:
        write_posting(self.lists, self.target, self.commune_name, self.year, draft=self.draft)
