"""Dashboard panels other parts add (targets at risk, disbursement): the slot they fill."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from ansinh.store.scope import Scope


@dataclass(frozen=True)
class Panel:
    """A section of a unit's dashboard: its template under web/templates and what it shows."""

    template: str
    context: dict[str, Any]


# Each takes the connection, the unit code, the viewer's scope and the review year, and returns
# a panel or None when it has nothing for the unit. Monitoring appends its own on import.
PanelSource = Callable[[Connection, str, Scope, int | None], Panel | None]
PANELS: list[PanelSource] = []


def register(source: PanelSource) -> PanelSource:
    PANELS.append(source)
    return source


def panels_for(
    connection: Connection, unit_code: str, scope: Scope, year: int | None
) -> list[Panel]:
    found = (source(connection, unit_code, scope, year) for source in PANELS)
    return [panel for panel in found if panel is not None]
