"""Geometry of the server-rendered SVG charts (no script, no CDN); the templates draw them
and put a table with the same figures beside each chart."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_compact_decimal
from flask_babel import get_locale

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 84, 56, 16, 36
TICKS = 4


@dataclass(frozen=True)
class Segment:
    series: str
    y: float
    height: float
    value: Decimal


@dataclass(frozen=True)
class Bar:
    label: str
    x: float
    width: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class StackedChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    #: (x, y) of the line on the right-hand 0–100 % axis; None where there is no value
    line: tuple[tuple[float, float] | None, ...]
    line_ticks: tuple[Tick, ...]

    @property
    def line_path(self) -> str:
        points = [p for p in self.line if p is not None]
        return " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points))

    @property
    def line_points(self) -> list[tuple[float, float]]:
        return [p for p in self.line if p is not None]


def _nice_top(largest: Decimal) -> Decimal:
    """A round axis maximum at or above ``largest`` (1, 2, 2.5 or 5 × 10^n)."""
    if largest <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(largest))) - 1)
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if largest <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _short(value: Decimal) -> str:
    """An axis label in the reader's language: "2,5 mln." in Dutch, "2.5M" in English."""
    return format_compact_decimal(value, format_type="short", locale=str(get_locale() or "en"), fraction_digits=1)


def stacked_chart(labels: list[str], series: list[tuple[str, list[Decimal]]],
                  line: list[Decimal | None] | None = None) -> StackedChart:
    """Bars stacked from ``series`` [(name, values per label)] with an optional 0–1 line."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    totals = [sum((max(values[i], Decimal(0)) for _n, values in series), Decimal(0)) for i in range(len(labels))]
    top = _nice_top(max(totals, default=Decimal(0)))
    slot = plot_w / max(len(labels), 1)
    bars, points = [], []
    for i, label in enumerate(labels):
        base, segments = float(HEIGHT - BOTTOM), []
        for name, values in series:
            value = max(values[i], Decimal(0))
            height = float(value / top) * plot_h
            base -= height
            segments.append(Segment(name, base, height, values[i]))
        x = LEFT + i * slot + slot * 0.2
        bars.append(Bar(label, x, slot * 0.6, tuple(segments)))
        share = None if line is None else line[i]
        points.append(None if share is None else (x + slot * 0.3, HEIGHT - BOTTOM - float(share) * plot_h))
    ticks = tuple(Tick(HEIGHT - BOTTOM - plot_h * k / TICKS, _short(top * k / TICKS)) for k in range(TICKS + 1))
    line_ticks = tuple(Tick(HEIGHT - BOTTOM - plot_h * k / TICKS, f"{100 * k // TICKS} %") for k in range(TICKS + 1))
    return StackedChart(WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM, tuple(bars), ticks,
                        tuple(points) if line is not None else (), line_ticks if line is not None else ())
