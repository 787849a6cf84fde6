"""What a pack lays out, counted the same way for the floor and for ReviewDesk, and the
floor's own cost with its content several times over (`bench_pack --only content`).

The floor (`floor.py`) lays out four pages: two tables, two charts. A review pack lays
out more: its holdings by class with the change since the last review, the returns,
insurance per insured person and kind, risk, next steps. A ratio of the two packs'
times mixes what each costs per thing laid out with how much each lays out, so the
benchmark also prints how much each lays out, and what the floor's own code costs for
that much: its story made `k` times and laid out in one document (k = 1, 2, 3).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from reportlab.graphics.shapes import Drawing
from reportlab.platypus import PageBreak, Paragraph, Table
from reportlab.platypus.doctemplate import BaseDocTemplate


@dataclass
class Content:
    """What one document laid out: pages, tables, table cells with something in them,
    charts and paragraphs (those in table cells included)."""

    pages: int = 0
    tables: int = 0
    cells: int = 0
    charts: int = 0
    paragraphs: int = 0

    def add(self, flowables: Iterable[Any]) -> None:
        for item in flowables:
            if isinstance(item, list | tuple):
                self.add(item)
            elif isinstance(item, Table):
                self.tables += 1
                for row in item._cellvalues:
                    for cell in row:
                        if isinstance(cell, str) and not cell.strip():
                            continue
                        self.cells += 1
                        if not isinstance(cell, str):
                            self.add([cell])
            elif isinstance(item, Paragraph):
                self.paragraphs += 1
            elif isinstance(item, Drawing) or type(item).__name__ == "FigureFlowable":
                self.charts += 1
            elif hasattr(item, "_content"):  # KeepTogether and its kind
                self.add(item._content)

    def __str__(self) -> str:
        return (
            f"{self.pages} pages, {self.tables} tables, {self.cells} cells, "
            f"{self.charts} charts, {self.paragraphs} paragraphs"
        )


@dataclass
class Counted:
    documents: list[Content] = field(default_factory=list)


@contextmanager
def counting() -> Iterator[Counted]:
    """Every document built meanwhile, counted: its story as given to `build` (before
    reportlab splits it) and the pages it came to."""
    counted = Counted()
    build = BaseDocTemplate.build

    def counted_build(self: BaseDocTemplate, flowables: list[Any], *args: Any, **kw: Any) -> Any:
        content = Content()
        content.add(list(flowables))  # build consumes the list it is given
        result = build(self, flowables, *args, **kw)
        content.pages = self.page
        counted.documents.append(content)
        return result

    BaseDocTemplate.build = counted_build  # type: ignore[method-assign]
    try:
        yield counted
    finally:
        BaseDocTemplate.build = build  # type: ignore[method-assign]


def floor_times_over(floor_module: Any, times: int) -> Callable[[int], object]:
    """The floor's `pack` with its content `times` over in one document: its story made
    `times` times (by its own code, seeds apart) and laid out once, a page break between."""
    original = floor_module.SimpleDocTemplate
    story: list[Any] = []
    made = [0]  # the stories made so far for the document under way

    class Gathering(original):  # type: ignore[misc, valid-type]
        def build(self, flowables: list[Any], *args: Any, **kw: Any) -> Any:
            story.extend(flowables)
            made[0] += 1
            if made[0] < times:
                story.append(PageBreak())
                return None
            whole = list(story)
            story.clear()
            made[0] = 0
            return super().build(whole, *args, **kw)

    def pack(seed: int) -> object:
        floor_module.SimpleDocTemplate = Gathering
        try:
            return [floor_module.pack(seed * times + part) for part in range(times)]
        finally:
            floor_module.SimpleDocTemplate = original

    return pack


def at(scale: float, times: dict[int, float]) -> float:
    """The floor's time at `scale` times its content, on the straight line through its
    times at 1, 2 and 3 times (least squares)."""
    xs = list(times)
    mean_x = sum(xs) / len(xs)
    mean_y = sum(times.values()) / len(xs)
    slope = sum((x - mean_x) * (times[x] - mean_y) for x in xs) / sum((x - mean_x) ** 2 for x in xs)
    return mean_y + slope * (scale - mean_x)
