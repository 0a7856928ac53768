"""The documentation links only to what exists: every relative link of README.md and docs/*.md
(workbench issue, item 14: the README linked to files not in the repository); and the README
names every setting an operator can give."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from ansinh.config import Settings
from ansinh.web.server import WebSettings

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Inline links [text](target "title"), reference definitions [label]: target, and HTML hrefs.
LINKS = re.compile(
    r"\]\(\s*([^)\s]+)(?:\s+\"[^\"]*\")?\s*\)|^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$"
    r"|href=\"([^\"]+)\"",
    re.MULTILINE,
)


def relative_links(page: Path) -> list[str]:
    found = [next(g for g in m.groups() if g) for m in LINKS.finditer(page.read_text("utf-8"))]
    return [t for t in found if not re.match(r"[a-z][a-z0-9+.-]*:", t) and not t.startswith("#")]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_relative_link_resolves(page: Path) -> None:
    missing = [
        target
        for target in relative_links(page)
        if not (page.parent / target.split("#")[0]).exists()
    ]
    assert missing == [], f"{page.name} links to files that do not exist: {missing}"


def test_the_link_reader_finds_every_kind_of_link(tmp_path: Path) -> None:
    """So that the test above cannot pass by finding nothing."""
    page = tmp_path / "page.md"
    page.write_text(
        'See [the log](docs/decisions.md#x), <a href="bench/x.py">x</a>,\n'
        "[web](https://example.org) and [top](#top).\n\n[ref]: other/file.md\n",
        "utf-8",
    )
    assert relative_links(page) == ["docs/decisions.md#x", "bench/x.py", "other/file.md"]


@pytest.mark.parametrize("settings", [Settings, WebSettings], ids=lambda s: s.__name__)
def test_the_readme_names_every_setting(settings: type[BaseSettings]) -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    prefix = settings.model_config.get("env_prefix", "")
    named = [f"{prefix}{field}".upper() for field in settings.model_fields]
    assert [name for name in named if name not in readme] == []
