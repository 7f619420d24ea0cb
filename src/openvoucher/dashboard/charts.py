"""Bar charts as plain geometry for the SVG templates: no JavaScript, no library. Each bar
carries its series index (a CSS class picks its colour) and a label for its tooltip."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH = 600
HEIGHT = 200
LEFT = 44
BOTTOM = 24
TOP = 10


@dataclass(frozen=True)
class Bar:
    """One rectangle."""

    x: float
    y: float
    width: float
    height: float
    series: int
    title: str


@dataclass
class Chart:
    """A chart ready to draw: bars, axis ticks and labels."""

    title: str
    legend: tuple[str, ...]
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    labels: list[tuple[float, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: int = HEIGHT - BOTTOM


def nice_top(value: int) -> int:
    """A round axis maximum at or above ``value`` (1, 2, 5 × 10ⁿ)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def grouped(
    title: str,
    legend: tuple[str, ...],
    groups: Sequence[tuple[str, Sequence[int]]],
    label_every: int = 1,
    fmt: str = "{:,}",
) -> Chart:
    """Side-by-side bars: one group per x label, one bar per series in the group."""
    chart = Chart(title, legend)
    top = nice_top(max((v for _, values in groups for v in values), default=0))
    plot = chart.bottom - TOP
    slot = (WIDTH - LEFT - 4) / max(len(groups), 1)
    width = max(slot * 0.8 / max(len(legend), 1), 1.0)
    for index, (label, values) in enumerate(groups):
        x0 = LEFT + index * slot + slot * 0.1
        for series, value in enumerate(values):
            height = plot * value / top
            name = legend[series] if series < len(legend) else ""
            title_text = f"{label}: {fmt.format(value)} {name}".strip()
            chart.bars.append(
                Bar(x0 + series * width, chart.bottom - height, width, height, series, title_text)
            )
        if index % label_every == 0:
            chart.labels.append((x0 + slot * 0.4, label))
    parts = next(n for n in (4, 5, 2, 1) if top % n == 0)
    chart.ticks = [
        (chart.bottom - plot * n / parts, fmt.format(top * n // parts)) for n in range(parts + 1)
    ]
    return chart
