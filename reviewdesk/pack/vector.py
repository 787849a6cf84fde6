"""Matplotlib figures drawn straight onto the PDF page as vector graphics.

A small matplotlib renderer turns paths and text into reportlab canvas
operations: no bitmap, no SVG round trip, text stays text (in the embedded
fonts) and the output has no timestamps or random ids, so packs are
byte-identical from run to run.
"""

from __future__ import annotations

from functools import cache

from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.path import Path
from reportlab.platypus import Flowable

from reviewdesk.pack import fonts

_BOLD = ("bold", "heavy", "extra bold", "black", "semibold", "demibold", "demi")


class CanvasRenderer(RendererBase):
    """Renders a figure at 72 dpi (one pixel = one point) onto a reportlab canvas."""

    def __init__(self, canv, width: float, height: float):
        super().__init__()
        self.canv = canv
        self.width = width
        self.height = height

    def flipy(self) -> bool:
        return False

    def get_canvas_width_height(self):
        return self.width, self.height

    def points_to_pixels(self, points):
        return points

    def option_image_nocomposite(self) -> bool:
        return True

    def _clip(self, gc) -> None:
        canv = self.canv
        rect = gc.get_clip_rectangle()
        if rect is not None:
            x0, y0, w, h = rect.bounds
            p = canv.beginPath()
            p.rect(x0, y0, w, h)
            canv.clipPath(p, stroke=0, fill=0)
        clip_path, affine = gc.get_clip_path()
        if clip_path is not None:
            p = self._path(clip_path, affine)
            canv.clipPath(p, stroke=0, fill=0)

    def _path(self, path, transform):
        p = self.canv.beginPath()
        last = (0.0, 0.0)
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
                p.curveTo(lx + 2 / 3 * (qx - lx), ly + 2 / 3 * (qy - ly),
                          ex + 2 / 3 * (qx - ex), ey + 2 / 3 * (qy - ey), ex, ey)
                last = (ex, ey)
            elif code == Path.CURVE4:
                p.curveTo(*verts)
                last = verts[-2:]
            elif code == Path.CLOSEPOLY:
                p.close()
        return p

    def draw_path(self, gc, path, transform, rgbFace=None):
        canv = self.canv
        forced = gc.get_forced_alpha()
        fill = rgbFace is not None
        if fill:
            alpha = gc.get_alpha() if forced else (rgbFace[3] if len(rgbFace) > 3 else 1.0)
            fill = alpha > 0
        r, g, b, a = gc.get_rgb()
        stroke_alpha = gc.get_alpha() if forced else a
        width = gc.get_linewidth()
        stroke = width > 0 and stroke_alpha > 0
        if not (fill or stroke):
            return
        canv.saveState()
        self._clip(gc)
        if fill:
            canv.setFillColorRGB(*rgbFace[:3], alpha=alpha)
        if stroke:
            canv.setStrokeColorRGB(r, g, b, alpha=stroke_alpha)
            canv.setLineWidth(width)
            canv.setLineJoin({"miter": 0, "round": 1, "bevel": 2}[gc.get_joinstyle()])
            canv.setLineCap({"butt": 0, "round": 1, "projecting": 2}[gc.get_capstyle()])
            offset, dashes = gc.get_dashes()
            if dashes:
                canv.setDash(list(dashes), offset or 0)
        canv.drawPath(self._path(path, transform), stroke=int(stroke), fill=int(fill))
        canv.restoreState()

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return self._draw_text_as_path(gc, x, y, s, prop, angle, ismath)
        canv = self.canv
        canv.saveState()
        self._clip(gc)
        r, g, b, a = gc.get_rgb()
        canv.setFillColorRGB(r, g, b, alpha=gc.get_alpha() if gc.get_forced_alpha() else a)
        canv.translate(x, y)
        if angle:
            canv.rotate(angle)
        bold = str(prop.get_weight()) in _BOLD or (
            isinstance(prop.get_weight(), int) and prop.get_weight() >= 600)
        fonts.draw_string(canv, 0, 0, s, prop.get_size_in_points(), bold=bold)
        canv.restoreState()

    def draw_image(self, gc, x, y, im):
        raise TypeError("charts in the pack are vector graphics; images are not drawn")


@cache
def _renderer() -> CanvasRenderer:
    """One renderer per process: matplotlib caches text metrics per renderer, and measuring
    text (with the CJK fallback font) is the largest cost of drawing a chart."""
    return CanvasRenderer(None, 0, 0)


class FigureFlowable(Flowable):
    """A matplotlib figure as a platypus flowable, drawn as vector graphics."""

    def __init__(self, figure: Figure):
        super().__init__()
        self.figure = figure
        w, h = figure.get_size_inches()
        self.width, self.height = w * 72, h * 72

    def wrap(self, available_width, available_height):
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
