"""Matches per day as a small inline SVG, drawn on the server: no chart library, no script,
nothing fetched, and nothing from an article in it (numbers only), so it needs no escaping
beyond what the template gives every value."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 112
HEIGHT = 24


@dataclass(frozen=True, slots=True)
class Sparkline:
    """What the template draws: a polyline's points, the last point, and a text label."""

    points: str
    last_x: float
    last_y: float
    width: int
    height: int
    label: str


def sparkline(counts: list[int], days: list[str]) -> Sparkline:
    """A line through `counts` (oldest first), scaled to the largest; flat at the bottom when
    all are zero. `label` says the numbers for screen readers and the tooltip."""
    top = max(counts, default=0) or 1
    n = max(len(counts), 2)
    step = (WIDTH - 4) / (n - 1)
    coords = [
        (2 + i * step, HEIGHT - 2 - (HEIGHT - 4) * value / top) for i, value in enumerate(counts)
    ] or [(2.0, HEIGHT - 2.0)]
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    label = ", ".join(f"{day}: {value}" for day, value in zip(days, counts, strict=False))
    return Sparkline(points, coords[-1][0], coords[-1][1], WIDTH, HEIGHT, label)
