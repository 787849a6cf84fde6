"""The benchmark's count of what a pack lays out, and the floor laid out k times over
(`tests/bench/pack_content.py`), count and lay out what they say."""

from __future__ import annotations

import io
import types

import pytest
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Table

from tests.bench.pack_content import at, counting, floor_times_over

STYLE = ParagraphStyle("body")


def _floor_like() -> types.SimpleNamespace:
    """A module shaped like floor.py: `pack(seed)` builds one page of a table, a chart and
    a paragraph with the module's `SimpleDocTemplate`, and returns the PDF's size."""
    module = types.SimpleNamespace(SimpleDocTemplate=SimpleDocTemplate)

    def pack(seed: int) -> int:
        buffer = io.BytesIO()
        doc = module.SimpleDocTemplate(buffer, pagesize=A4, invariant=1)
        rows = [["name", "value", ""]] + [
            [Paragraph(f"row {seed}-{i}", STYLE), "1", ""] for i in range(3)
        ]
        doc.build([Table(rows), KeepTogether([Drawing(50, 50), Paragraph("note", STYLE)])])
        return len(buffer.getvalue())

    module.pack = pack
    return module


def test_a_document_is_counted_as_laid_out():
    floor = _floor_like()
    with counting() as counted:
        floor.pack(0)
    (content,) = counted.documents
    # 4 rows of 3 columns, the empty third column not counted; the paragraphs in cells too.
    assert (content.pages, content.tables, content.cells) == (1, 1, 8)
    assert (content.charts, content.paragraphs) == (1, 4)


@pytest.mark.parametrize("times", [1, 2, 3])
def test_the_floor_k_times_over_is_one_document_of_k_stories(times):
    floor = _floor_like()
    with counting() as counted:
        floor_times_over(floor, times)(5)
        floor_times_over(floor, times)(6)  # and again: nothing is left over from the last
    assert len(counted.documents) == 2
    for content in counted.documents:
        assert (content.tables, content.cells, content.charts) == (times, 8 * times, times)
        assert content.pages == times  # a page break between the stories
    assert floor.SimpleDocTemplate is SimpleDocTemplate


def test_the_floor_at_a_scale_is_read_off_the_line_through_its_times():
    assert at(1.5, {1: 0.010, 2: 0.020, 3: 0.030}) == pytest.approx(0.015)
    assert at(2.5, {1: 0.010, 2: 0.019, 3: 0.028}) == pytest.approx(0.0235)
