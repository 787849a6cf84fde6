"""Matplotlib figures drawn straight onto the PDF page as vector graphics.

A small matplotlib renderer turns paths and text into reportlab canvas
operations: no bitmap, no SVG round trip, text stays text (in the embedded
fonts) and the output has no timestamps or random ids, so packs are
byte-identical from run to run.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Literal, cast

import numpy as np
import numpy.typing as npt
from matplotlib.backend_bases import GraphicsContextBase, RendererBase
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.transforms import Affine2DBase, Transform
from matplotlib.typing import ColorType
from numpy.typing import ArrayLike
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject
from reportlab.platypus import Flowable

from reviewdesk.pack import fonts

_BOLD = ("bold", "heavy", "extra bold", "black", "semibold", "demibold", "demi")


class CanvasRenderer(RendererBase):
    """Renders a figure at 72 dpi (one pixel = one point) onto a reportlab canvas."""

    def __init__(self, canv: Canvas | None, width: float, height: float) -> None:
        super().__init__()
        self.canv = canv
        self.width = width
        self.height = height

    def flipy(self) -> bool:
        return False

    def get_canvas_width_height(self) -> tuple[float, float]:
        return self.width, self.height

    def points_to_pixels(self, points: ArrayLike) -> ArrayLike:
        return points

    def option_image_nocomposite(self) -> bool:
        return True

    def _canvas(self) -> Canvas:
        """The canvas being drawn on (FigureFlowable.draw gives it before drawing)."""
        if self.canv is None:
            raise RuntimeError("the chart renderer has no canvas to draw on")
        return self.canv

    def _clip(self, gc: GraphicsContextBase) -> None:
        canv = self._canvas()
        rect = gc.get_clip_rectangle()
        if rect is not None:
            x0, y0, w, h = rect.bounds
            p = canv.beginPath()
            p.rect(x0, y0, w, h)
            canv.clipPath(p, stroke=0, fill=0)
        clip_path, affine = gc.get_clip_path()
        if clip_path is not None:
            # The stubs say TransformedPath; the gc returns the transformed Path itself.
            p = self._path(clip_path, affine)  # type: ignore[arg-type]
            canv.clipPath(p, stroke=0, fill=0)

    def _path(self, path: Path, transform: Transform | None) -> PDFPathObject:
        p = self._canvas().beginPath()
        last: tuple[float, float] | npt.NDArray[np.float64] = (0.0, 0.0)
        for verts, code in path.iter_segments(transform, simplify=False, curves=True):
            if code == Path.MOVETO:
                p.moveTo(*verts)
                last = verts[-2:]
            elif code == Path.LINETO:
                p.lineTo(*verts)
                last = verts[-2:]
            elif code == Path.CURVE3:
                (qx, qy), (ex, ey) = verts[:2], verts[2:]
                lx, ly = last
                p.curveTo(
                    lx + 2 / 3 * (qx - lx),
                    ly + 2 / 3 * (qy - ly),
                    ex + 2 / 3 * (qx - ex),
                    ey + 2 / 3 * (qy - ey),
                    ex,
                    ey,
                )
                last = (ex, ey)
            elif code == Path.CURVE4:
                p.curveTo(*verts)
                last = verts[-2:]
            elif code == Path.CLOSEPOLY:
                p.close()
        return p

    def draw_path(
        self,
        gc: GraphicsContextBase,
        path: Path,
        transform: Transform,
        rgbFace: ColorType | None = None,
    ) -> None:
        canv = self._canvas()
        forced = gc.get_forced_alpha()
        # Artists hand the renderer their face colour already converted to RGB(A) floats.
        face = cast(tuple[float, ...] | None, rgbFace)
        fill = face is not None
        if face is not None:
            alpha = gc.get_alpha() if forced else (face[3] if len(face) > 3 else 1.0)
            fill = alpha > 0
        r, g, b, a = gc.get_rgb()
        stroke_alpha = gc.get_alpha() if forced else a
        width = gc.get_linewidth()
        stroke = width > 0 and stroke_alpha > 0
        if not (fill or stroke):
            return
        canv.saveState()
        self._clip(gc)
        if face is not None and fill:
            canv.setFillColorRGB(*face[:3], alpha=alpha)
        if stroke:
            canv.setStrokeColorRGB(r, g, b, alpha=stroke_alpha)
            canv.setLineWidth(width)
            canv.setLineJoin({"miter": 0, "round": 1, "bevel": 2}[gc.get_joinstyle()])
            canv.setLineCap({"butt": 0, "round": 1, "projecting": 2}[gc.get_capstyle()])
            offset, dashes = gc.get_dashes()
            if dashes:
                # On/off lengths as the gc holds them (ArrayLike in the stubs).
                canv.setDash(list(cast(Iterable[float], dashes)), offset or 0)
        canv.drawPath(self._path(path, transform), stroke=int(stroke), fill=int(fill))
        canv.restoreState()

    def draw_text(
        self,
        gc: GraphicsContextBase,
        x: float,
        y: float,
        s: str,
        prop: FontProperties,
        angle: float,
        ismath: bool | Literal["TeX"] = False,
        mtext: Text | None = None,
    ) -> None:
        if ismath:
            # A private helper of RendererBase (what its own draw_text calls), not in the stubs.
            self._draw_text_as_path(gc, x, y, s, prop, angle, ismath)  # type: ignore[attr-defined]
            return
        canv = self._canvas()
        canv.saveState()
        self._clip(gc)
        r, g, b, a = gc.get_rgb()
        canv.setFillColorRGB(r, g, b, alpha=gc.get_alpha() if gc.get_forced_alpha() else a)
        canv.translate(x, y)
        if angle:
            canv.rotate(angle)
        weight = prop.get_weight()
        bold = str(weight) in _BOLD or (isinstance(weight, int) and weight >= 600)
        fonts.draw_string(canv, 0, 0, s, prop.get_size_in_points(), bold=bold)
        canv.restoreState()

    def _get_font_height_metrics(
        self, prop: FontProperties
    ) -> tuple[float, float, float] | tuple[None, None, None]:
        """The ascent, descent and line gap of `prop`'s font, as matplotlib's text layout
        reads them from the font's tables for every text it draws (at 72 dpi, this
        renderer's), read once per font and size here."""
        key = prop.copy()
        known = _heights.get(key)
        if known is None:
            known = _heights[key] = _font_height_metrics(prop)
        return known

    def draw_image(
        self,
        gc: GraphicsContextBase,
        x: float,
        y: float,
        im: ArrayLike,
        transform: Affine2DBase | None = None,
    ) -> None:
        raise TypeError("charts in the pack are vector graphics; images are not drawn")


_heights: dict[FontProperties, tuple[float, float, float] | tuple[None, None, None]] = {}


def _font_height_metrics(
    prop: FontProperties,
) -> tuple[float, float, float] | tuple[None, None, None]:
    """What matplotlib's `Text._get_layout` computes when the renderer does not say (its
    OS/2 table, else its hhea table), at 72 dpi; (None, None, None) if the font has neither."""
    font = get_font(fontManager._find_fonts_by_props(prop))
    os2 = font.get_sfnt_table("OS/2")
    if os2 is not None:
        gap, ascent, descent = os2["sTypoLineGap"], os2["sTypoAscender"], os2["sTypoDescender"]
    else:
        hhea = font.get_sfnt_table("hhea")
        if hhea is None:
            return None, None, None
        gap, ascent, descent = hhea["lineGap"], hhea["ascent"], hhea["descent"]
    head = font.get_sfnt_table("head")
    assert head is not None  # every TrueType font has one
    dpi = 72  # the same expression as matplotlib's, so the same positions to the bit
    scale = 1 / head["unitsPerEm"] * prop.get_size_in_points() * dpi / 72
    return ascent * scale, -descent * scale, gap * scale


@cache
def _renderer() -> CanvasRenderer:
    """One renderer per process: matplotlib caches text metrics per renderer, and measuring
    text (with the CJK fallback font) is the largest cost of drawing a chart."""
    return CanvasRenderer(None, 0, 0)


class FigureFlowable(Flowable):  # type: ignore[misc]  # reportlab has no type information
    """A matplotlib figure as a platypus flowable, drawn as vector graphics."""

    def __init__(self, figure: Figure) -> None:
        super().__init__()
        self.figure = figure
        w, h = figure.get_size_inches()
        self.width, self.height = w * 72, h * 72

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        fonts.register()
        dpi = self.figure.dpi
        self.figure.set_dpi(72)
        renderer = _renderer()
        renderer.canv, renderer.width, renderer.height = self.canv, self.width, self.height
        try:
            self.figure.draw(renderer)
        finally:
            self.figure.set_dpi(dpi)
            # The renderer lives as long as the process (and is frozen out of the garbage
            # collector's sight, `preload.settle`): holding the canvas until the next chart
            # would keep the whole last pack alive through every young collection, to be
            # found only by a full one.
            renderer.canv = None
