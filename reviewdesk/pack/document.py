"""The pack as a whole: page template, header and footer, sections in order, PDF bytes.

The output depends only on the review (which holds its as-of date), the language
and the paper: reportlab runs in invariant mode and the document's date is the
review date (in the information dictionary and the XMP metadata alike), so the
same book, dates and options give byte-identical files, and a pack can be
rebuilt from its record (the tests rely on it). Every page's footer carries the
pack's reference number.

Each section's heading is a bookmark; the catalog states the language (/Lang)
and carries XMP metadata. reportlab writes no structure tree, so packs are not
tagged PDF (see the README).
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import logging
import time
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase.pdfdoc import XMP
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    FrameBreak,
    KeepTogether,
    PageTemplate,
    Table,
)
from reportlab.platypus.paragraph import Paragraph

from reviewdesk.i18n import translator
from reviewdesk.pack import (
    allocation,
    cover,
    fonts,
    holdings,
    insurance,
    next_steps,
    performance,
    risk,
    summary,
)
from reviewdesk.pack.context import ACCENT, LAYOUT_LOCK, MUTED, RULE, PackContext
from reviewdesk.pack.reference import pack_reference
from reviewdesk.pack.tables import together
from reviewdesk.review.model import Review, review_title

log = logging.getLogger(__name__)

PAPERS = {"a4": A4, "letter": LETTER}
LANG_TAGS = {"zh": "zh-CN", "en": "en"}
MARGIN = 18 * mm
SECTION_ROOM = 55 * mm


def _timestamp(day: dt.date) -> TimeStamp:
    stamp = TimeStamp(invariant=1)
    t = calendar.timegm(day.timetuple())
    stamp.t = t
    stamp.lt = time.gmtime(t)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    return stamp


def _title(review: Review, lang: str) -> str:
    return review_title(review.review_date, lang)


def xmp_metadata(review: Review, lang: str) -> bytes:
    """XMP for the catalog: title, author (the bank), subject (the client), language,
    dates from the review date (never the clock, so the bytes stay the same)."""
    day = f"{review.review_date.isoformat()}T00:00:00Z"
    tag = LANG_TAGS[lang]

    def alt(text: str) -> str:
        return (
            f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li>'
            f'<rdf:li xml:lang="{tag}">{escape(text)}</rdf:li></rdf:Alt>'
        )

    author = review.preparer.bank_name or ""
    creator = (
        f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>"
        if author
        else ""
    )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        f"<dc:format>application/pdf</dc:format><dc:title>{alt(_title(review, lang))}</dc:title>"
        f"{creator}<dc:description>{alt(review.client.name)}</dc:description>"
        f"<dc:language><rdf:Bag><rdf:li>{tag}</rdf:li></rdf:Bag></dc:language>"
        f"<xmp:CreateDate>{day}</xmp:CreateDate><xmp:ModifyDate>{day}</xmp:ModifyDate>"
        f"<xmp:MetadataDate>{day}</xmp:MetadataDate>"
        "<xmp:CreatorTool>ReviewDesk</xmp:CreatorTool><pdf:Producer>ReviewDesk</pdf:Producer>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()


def _canvas_class(review: Review, lang: str, reference: str) -> type[Canvas]:
    _ = translator(lang)
    xmp = xmp_metadata(review, lang)
    footer_left = _("Confidential - prepared for {client}").format(client=review.client.name)
    footer_reference = _("Ref. {reference}").format(reference=reference)
    # The bank's name, or nothing: the title is on the right (found, with no bank name set:
    # "Portfolio review" beside "Portfolio review of 2 Dec 2026").
    header_left = review.preparer.bank_name or ""
    header_right = _title(review, lang)

    class PackCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type information
        """Holds each page until the end so the footer can say 'page N of M'."""

        def __init__(self, *args: object, **kwargs: object) -> None:
            kwargs["invariant"] = 1
            kwargs["initialFontName"] = fonts.LATIN  # no unembedded Helvetica in the file
            super().__init__(*args, **kwargs)
            self._doc._timeStamp = _timestamp(review.review_date)
            self._doc.Catalog.Metadata = XMP(creator=lambda _doc: xmp)
            self.setViewerPreference("DisplayDocTitle", "true")
            self._pages: list[dict[str, object]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
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
            fonts.draw_string(
                self,
                width - MARGIN,
                8 * mm,
                "{}    {}".format(
                    footer_reference, _("Page {page} of {pages}").format(page=number, pages=total)
                ),
                7.5,
                align="right",
            )
            if number == 1:
                self.setFillColor(ACCENT)
                self.rect(0, height - 9 * mm, width, 9 * mm, stroke=0, fill=1)
                self.setFillColor(MUTED)
            if number > 1:
                self.line(MARGIN, height - 12 * mm, width - MARGIN, height - 12 * mm)
                if header_left:
                    fonts.draw_string(self, MARGIN, height - 10.5 * mm, header_left, 7.5)
                fonts.draw_string(
                    self, width - MARGIN, height - 10.5 * mm, header_right, 7.5, align="right"
                )
            self.restoreState()

    return PackCanvas


class HeadingWithNext(KeepTogether):  # type: ignore[misc]  # reportlab has no type information
    """A heading kept with the start of what follows it, not with all of it.

    reportlab's keepWithNext keeps a heading with the whole next flowable, so a
    heading over a long table took the table to the next page and left most of a
    page empty. Here the heading goes where it is when its first lines fit (for a
    table: the header and one row), and to the next page only when they do not.
    """

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        content = list(self._content)
        if self._H <= aH:
            return content
        *heads, following = content
        need = sum(f.wrap(aW, aH)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in heads)
        need += _first_part(following, aW, aH)
        frame = getattr(self, "_frame", None)
        if need <= aH or (frame is not None and getattr(frame, "_atTop", False)):
            return content
        return [FrameBreak(), *content]


def _first_part(flowable: Flowable, aW: float, aH: float) -> float:
    """The height of the least of `flowable` that may start a page's last lines."""
    height: float = flowable.wrap(aW, aH)[1]
    if isinstance(flowable, Table) and flowable._rowHeights:
        first = (flowable.repeatRows or 0) + 1
        first_rows: float = sum(flowable._rowHeights[:first])
        return min(height, first_rows)
    return height


class PackTemplate(BaseDocTemplate):  # type: ignore[misc]  # reportlab has no type information
    """Bookmarks each section heading (h1) and records the flowables of each page (for the
    tests that check no page ends on a heading and no last page holds only a footnote)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.keepTogetherClass = HeadingWithNext  # an init argument in reportlab
        self.pages: dict[int, list[Flowable]] = {}
        self._headings = 0

    def afterFlowable(self, flowable: Flowable) -> None:
        self.pages.setdefault(self.canv.getPageNumber(), []).append(flowable)
        if isinstance(flowable, Paragraph) and flowable.style.name.split("@")[0] == "h1":
            self._headings += 1
            key = f"s{self._headings}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=0)


def render_pack(
    review: Review,
    lang: str,
    paper: str = "a4",
    *,
    reference: str | None = None,
    warnings: list[str] | None = None,
) -> bytes:
    """The review pack as PDF bytes, in `lang` ("zh" or "en") on `paper` ("a4" or "letter").

    `reference`: the pack's reference number when the caller has it already
    (`produce.pack_from_review`); otherwise it is computed here the same way.

    Characters that no embedded font has (they would print as empty boxes) are
    logged and, when `warnings` is given, added to it as sentences to show the user.
    """
    reference = reference or pack_reference(review, lang, paper)
    with LAYOUT_LOCK:
        return _build(review, lang, paper, reference, warnings)[0]


def _build(
    review: Review, lang: str, paper: str, reference: str, warnings: list[str] | None
) -> tuple[bytes, PackTemplate]:
    fonts.register()
    if paper not in PAPERS:
        raise ValueError(f"paper: {paper!r} is not one of {', '.join(PAPERS)}")
    if lang not in LANG_TAGS:
        raise ValueError(f"lang: {lang!r} is not one of {', '.join(LANG_TAGS)}")
    _ = translator(lang)
    buffer = io.BytesIO()
    pagesize = PAPERS[paper]
    doc = PackTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 2 * mm,
        title=_title(review, lang),
        author=review.preparer.bank_name or "",
        subject=review.client.name,
        creator="ReviewDesk",
        producer="ReviewDesk",
        invariant=1,
        lang=LANG_TAGS[lang],
    )
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    with fonts.collect_missing() as missing:
        ctx = PackContext(review, lang, doc.width)
        story: list[Flowable] = cover.story(ctx) + summary.story(ctx)
        for section in (
            holdings.story,
            performance.story,
            allocation.story,
            allocation.trend_story,
            insurance.story,
            risk.story,
            next_steps.story,
        ):
            # A section starts on a new page rather than leave its heading alone at the foot.
            story += [CondPageBreak(SECTION_ROOM), *section(ctx)]
        # The disclaimer goes with the block before it: never alone on a last page.
        story[-1:] = [together(story[-1], next_steps.disclaimer(ctx))]
        doc.build(story, canvasmaker=_canvas_class(review, lang, reference))
    if missing:
        message = _("Characters that no embedded font has print as empty boxes: {chars}").format(
            chars=" ".join(sorted(missing))
        )
        # The characters come from the client's text: the log takes only how many.
        log.warning("pack of %s: %d characters without a glyph", review.client.code, len(missing))
        if warnings is not None:
            warnings.append(message)
    return buffer.getvalue(), doc
