"""Charts as PNG or SVG: targets' trajectories, disbursement over the year, NTM criteria met.

Figures are built without pyplot (no global state, no GUI backend): Figure renders with Agg.
"""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ansinh.domain.monitoring.targets import Observation, TargetStatus
from ansinh.errors import InputError
from ansinh.io.files import atomic_output

FORMATS = {".png": "png", ".svg": "svg"}
MAX_PANELS = 36


def chart_format(path: Path) -> str:
    """png or svg from the file name, or an InputError naming the option."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InputError.single(
            "--chart",
            f"Biểu đồ phải là .png hoặc .svg: {path.name}",
            f"Chart must be .png or .svg: {path.name}",
        )
    return kind


def _save(figure: Figure, path: Path) -> None:
    kind = chart_format(path)
    with atomic_output(path) as tmp:
        figure.savefig(tmp, format=kind, dpi=120, bbox_inches="tight")


def target_chart(results: list[TargetStatus], observations: list[Observation], path: Path) -> None:
    """One panel per target and unit: baseline→target line, observations, projection."""
    shown = results[:MAX_PANELS]
    columns = min(3, max(1, len(shown)))
    rows = max(1, math.ceil(len(shown) / columns))
    figure = Figure(figsize=(4.2 * columns, 3.2 * rows))
    axes = figure.subplots(rows, columns, squeeze=False)
    for ax in axes.flat[len(shown) :]:
        ax.set_visible(False)
    for ax, result in zip(axes.flat, shown, strict=False):
        _target_panel(ax, result, observations)
    _save(figure, path)


def _target_panel(ax: Axes, result: TargetStatus, observations: list[Observation]) -> None:
    t = result.target
    seen = sorted(
        (o.year, float(o.value))
        for o in observations
        if o.target_id == t.target_id and o.unit_code == t.unit_code
    )
    if t.baseline_value is not None and t.baseline_year is not None:
        ax.plot(
            [t.baseline_year, t.deadline_year],
            [float(t.baseline_value), float(t.target_value)],
            "--",
            color="grey",
            label="lộ trình / trajectory",
        )
        if result.projected_value is not None and result.latest_year is not None:
            ax.plot(
                [result.latest_year, t.deadline_year],
                [float(result.latest_value or 0), float(result.projected_value)],
                ":",
                color="tab:orange",
                label="dự báo / projection",
            )
    if seen:
        ax.plot(*zip(*seen, strict=True), "o-", color="tab:blue", label="thực tế / observed")
    ax.axhline(float(t.target_value), color="tab:green", linewidth=0.8)
    ax.set_title(f"{t.target_id} [{t.unit_code}]\n{result.status.value}", fontsize=9)
    ax.set_ylabel(t.unit_of_measure, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=6)


def disbursement_chart(curve: pl.DataFrame, path: Path, title: str) -> None:
    """Cumulative disbursement as a share of plan, by capital type, over the dates."""
    figure = Figure(figsize=(8, 4.5))
    ax = figure.subplots()
    for (kind,), part in curve.sort("date").group_by("capital_type", maintain_order=True):
        ax.step(part["date"].to_list(), (part["share"] * 100).to_list(), where="post", label=kind)
    ax.set_ylabel("% kế hoạch / % of plan")
    ax.set_ylim(0, 100)
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend()
    figure.autofmt_xdate()
    _save(figure, path)


def criteria_chart(per_commune: pl.DataFrame, path: Path, title: str, total: int) -> None:
    """How many communes meet each number of criteria (0 … total)."""
    counts = per_commune.group_by("criteria_met").len().sort("criteria_met")
    figure = Figure(figsize=(8, 4))
    ax = figure.subplots()
    ax.bar(counts["criteria_met"].to_list(), counts["len"].to_list(), color="tab:green")
    ax.set_xlim(-0.5, total + 0.5)
    ax.set_xlabel("Số tiêu chí đạt / criteria met")
    ax.set_ylabel("Số xã / communes")
    ax.set_title(title, fontsize=10)
    _save(figure, path)
