"""The pack as a whole: page template, header and footer, sections in order, PDF bytes.

The output depends only on the review (which holds its as-of date), the language
and the paper: reportlab runs in invariant mode and the document's date is the
review date, so the same book, dates and options give byte-identical files, and
a pack can be rebuilt from its record (the tests rely on it). Every page's
footer carries the pack's reference number.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import time

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Frame, PageTemplate

from reviewdesk.i18n import translator
from reviewdesk.pack import allocation, cover, fonts, holdings, insurance, next_steps, risk, summary
from reviewdesk.pack.context import ACCENT, MUTED, RULE, PackContext
from reviewdesk.pack.reference import pack_reference
from reviewdesk.review.model import Review

PAPERS = {"a4": A4, "letter": LETTER}
MARGIN = 18 * mm
SECTION_ROOM = 55 * mm


def _timestamp(day: dt.date) -> TimeStamp:
    stamp = TimeStamp(invariant=1)
    t = calendar.timegm(day.timetuple())
    stamp.t = t
    stamp.lt = time.gmtime(t)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    return stamp


def _canvas_class(review: Review, lang: str, reference: str):
    _ = translator(lang)
    footer_left = _("Confidential - prepared for {client}").format(client=review.client.name)
    footer_reference = _("Ref. {reference}").format(reference=reference)
    header_left = review.preparer.bank_name or _("Portfolio review")
    header_right = _("Portfolio review of {date}").format(date=review.review_date.isoformat())

    class PackCanvas(Canvas):
        """Holds each page until the end so the footer can say 'page N of M'."""

        def __init__(self, *args, **kwargs):
            kwargs["invariant"] = 1
            kwargs["initialFontName"] = fonts.LATIN  # no unembedded Helvetica in the file
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = _timestamp(review.review_date)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                self._decorate(number, total)
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setFillColor(MUTED)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, 12 * mm, width - MARGIN, 12 * mm)
            fonts.draw_string(self, MARGIN, 8 * mm, footer_left, 7.5)
            fonts.draw_string(self, width - MARGIN, 8 * mm, "{}    {}".format(
                footer_reference, _("Page {page} of {pages}").format(page=number, pages=total)),
                7.5, align="right")
            if number == 1:
                self.setFillColor(ACCENT)
                self.rect(0, height - 9 * mm, width, 9 * mm, stroke=0, fill=1)
                self.setFillColor(MUTED)
            if number > 1:
                self.line(MARGIN, height - 12 * mm, width - MARGIN, height - 12 * mm)
                fonts.draw_string(self, MARGIN, height - 10.5 * mm, header_left, 7.5)
                fonts.draw_string(self, width - MARGIN, height - 10.5 * mm, header_right, 7.5,
                                  align="right")
            self.restoreState()

    return PackCanvas


def render_pack(review: Review, lang: str, paper: str = "a4", *,
                reference: str | None = None) -> bytes:
    """The review pack as PDF bytes, in `lang` ("zh" or "en") on `paper` ("a4" or "letter").

    `reference`: the pack's reference number when the caller has it already
    (`produce.pack_from_review`); otherwise it is computed here the same way.
    """
    fonts.register()
    if paper not in PAPERS:
        raise ValueError(f"paper: {paper!r} is not one of {', '.join(PAPERS)}")
    reference = reference or pack_reference(review, lang, paper)
    _ = translator(lang)
    buffer = io.BytesIO()
    pagesize = PAPERS[paper]
    doc = BaseDocTemplate(
        buffer, pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=MARGIN, bottomMargin=MARGIN + 2 * mm,
        title=_("Portfolio review of {date}").format(date=review.review_date.isoformat()),
        author=review.preparer.bank_name or "", subject=review.client.name,
        creator="ReviewDesk", producer="ReviewDesk", invariant=1,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    ctx = PackContext(review, lang, doc.width)
    story: list = cover.story(ctx) + summary.story(ctx)
    for section in (holdings.story, allocation.story, allocation.trend_story, insurance.story,
                    risk.story, next_steps.story):
        # A section starts on a new page rather than leave its heading alone at the foot.
        story += [CondPageBreak(SECTION_ROOM), *section(ctx)]
    story += next_steps.disclaimer(ctx)
    doc.build(story, canvasmaker=_canvas_class(review, lang, reference))
    return buffer.getvalue()
