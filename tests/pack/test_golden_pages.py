"""Golden pages: every page of a few review packs compared with reference images.

The packs are made from the fixed, encrypted book of `tests/pack/golden_book.py`
through the product's own path (`make_pack` with a fixed as-of date, then
`write_private`), rendered with `pdftoppm -r 50 -png` and compared page by page,
in greyscale, with `tests/pack/golden/<case>-<page>.png`.

Tolerance: a page matches when it has the same size as its reference and at
most 0.1% of its pixels differ from it by more than 32 grey levels (of 255);
the page count must match exactly. Measured: two renders of the same pack
differ in no pixel at all (packs are byte-identical and pdftoppm is
deterministic), so the allowance only absorbs another poppler or FreeType build
anti-aliasing a few edges differently. A holding worth one unit more changed
0.02-0.08% of a page, which passes (amounts are checked as text by
tests/pack/test_pack_pdf.py); a product name wrapping onto a second line changed
7-8% of its page and up to 19% of the pages after it (and added a page in
Chinese), which fails, as does one line of text set two pixels lower (0.2%).

On a mismatch the actual page and a diff image (the reference faded, the
differing pixels in red) are written to `$TMPDIR/reviewdesk-golden/<case>/`
and named in the failure message, with the pack's PDF beside them.

When the pack's layout changes on purpose, regenerate the references and look
at them before committing:

    PYTHONPATH=$PWD python -m tests.pack.golden_update [CASE ...]
    # or, through the test itself:
    REVIEWDESK_GOLDEN_UPDATE=1 PYTHONPATH=$PWD python -m pytest tests/pack/test_golden_pages.py

pdftoppm comes with poppler-utils. Without it the test is skipped, except on CI
(environment variable CI set), where it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from reviewdesk.book.db import Book
from reviewdesk.files import write_private
from reviewdesk.pack.produce import make_pack
from reviewdesk.settings import load_settings
from tests.pack.golden_book import TODAY, build_golden_book

GOLDEN_DIR = Path(__file__).parent / "golden"
RESOLUTION = 50  # dots per inch: an A4 page is 413 x 585 pixels
GREY_LEVELS = 32  # a pixel differs when its grey level moves by more than this...
MAX_SHARE = 0.001  # ...and a page matches when at most this share of its pixels differ
UPDATE_ENV = "REVIEWDESK_GOLDEN_UPDATE"
FAILURES_DIR = Path(tempfile.gettempdir()) / "reviewdesk-golden"


@dataclass(frozen=True)
class Case:
    name: str
    client: str  # a key of golden_book.CLIENTS
    lang: str
    paper: str


# Not every combination: each client once or twice, zh and en, A4 and Letter.
CASES: tuple[Case, ...] = (
    Case("cny-zh-a4", "cny", "zh", "a4"),
    Case("cny-en-letter", "cny", "en", "letter"),
    Case("jpy-en-a4", "jpy", "en", "a4"),
    Case("jpy-zh-letter", "jpy", "zh", "letter"),
    Case("many-en-letter", "many", "en", "letter"),
    Case("many-zh-a4", "many", "zh", "a4"),
    Case("long-en-a4", "long", "en", "a4"),
    Case("long-zh-letter", "long", "zh", "letter"),
    Case("hangul-zh-a4", "hangul", "zh", "a4"),
    Case("hangul-en-letter", "hangul", "en", "letter"),
)


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def pdftoppm() -> str:
    """The pdftoppm program; skips the test without it, or fails on CI."""
    found = shutil.which("pdftoppm")
    if found is None:
        message = (
            "pdftoppm is not installed (apt-get install poppler-utils): the golden "
            "pages cannot be rendered"
        )
        if on_ci():
            pytest.fail(message + " and CI must compare them", pytrace=False)
        pytest.skip(message)
    return found


def write_pack(book: Book, client_id: int, case: Case, folder: Path) -> Path:
    """The case's pack, made and written as the product does, as `folder/<case>.pdf`."""
    with book.session() as session:
        pack = make_pack(
            session,
            client_id,
            settings=load_settings(session),
            today=TODAY,
            lang=case.lang,
            paper=case.paper,
        )
    return write_private(folder / f"{case.name}.pdf", pack.data)


def render_pages(program: str, pdf: Path, folder: Path) -> list[Image.Image]:
    """Every page of `pdf` at RESOLUTION, in greyscale, first page first."""
    prefix = folder / "page"
    subprocess.run(
        [program, "-r", str(RESOLUTION), "-png", str(pdf), str(prefix)],
        check=True,
        capture_output=True,
    )
    pages = sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    images = []
    for path in pages:
        with Image.open(path) as image:
            images.append(image.convert("L"))
    return images


def reference_paths(case: Case) -> list[Path]:
    """The case's reference pages, first page first."""
    pattern = re.compile(rf"^{re.escape(case.name)}-(\d+)\.png$")
    found = [
        (int(m.group(1)), p)
        for p in GOLDEN_DIR.glob(f"{case.name}-*.png")
        if (m := pattern.match(p.name))
    ]
    return [p for _, p in sorted(found)]


def write_references(case: Case, pages: list[Image.Image]) -> list[Path]:
    """Replace the case's reference pages with `pages` (small greyscale PNGs)."""
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    for old in reference_paths(case):
        old.unlink()
    written = []
    for number, page in enumerate(pages, start=1):
        path = GOLDEN_DIR / f"{case.name}-{number}.png"
        page.convert("L").save(path, optimize=True)
        written.append(path)
    return written


def differing(expected: Image.Image, actual: Image.Image) -> np.ndarray:
    """A boolean mask of the pixels that differ by more than GREY_LEVELS (same sizes)."""
    a = np.asarray(expected.convert("L"), dtype=np.int16)
    b = np.asarray(actual.convert("L"), dtype=np.int16)
    return np.abs(a - b) > GREY_LEVELS


def diff_image(expected: Image.Image, mask: np.ndarray) -> Image.Image:
    """The reference faded to light grey, with the differing pixels in red."""
    faded = np.asarray(expected.convert("L"), dtype=np.uint16) * 90 // 255 + 165
    rgb = np.repeat(faded.astype(np.uint8)[:, :, None], 3, axis=2)
    rgb[mask] = (220, 0, 0)
    return Image.fromarray(rgb, "RGB")


def compare_case(case: Case, pdf: Path, pages: list[Image.Image]) -> list[str]:
    """What differs from the references (empty when the pages match); the evidence is saved."""
    references = reference_paths(case)
    if not references:
        return [
            f"{case.name}: no reference pages in {GOLDEN_DIR}; make them with "
            f"`PYTHONPATH=$PWD python -m tests.pack.golden_update {case.name}`"
        ]
    out = FAILURES_DIR / case.name
    problems: list[str] = []

    def save(image: Image.Image, name: str) -> Path:
        out.mkdir(parents=True, exist_ok=True)
        image.save(out / name)
        return out / name

    if len(pages) != len(references):
        for number, page in enumerate(pages, start=1):
            save(page, f"actual-{number}.png")
        problems.append(
            f"{case.name}: {len(pages)} pages, the references have "
            f"{len(references)}; actual pages in {out}"
        )
    for number, (page, reference) in enumerate(zip(pages, references, strict=False), start=1):
        with Image.open(reference) as image:
            expected = image.convert("L")
        if expected.size != page.size:
            actual = save(page, f"actual-{number}.png")
            problems.append(
                f"{case.name} page {number}: {page.size[0]}x{page.size[1]} "
                f"pixels, the reference {reference.name} is "
                f"{expected.size[0]}x{expected.size[1]}; actual: {actual}"
            )
            continue
        mask = differing(expected, page)
        share = float(mask.mean())
        if share > MAX_SHARE:
            actual = save(page, f"actual-{number}.png")
            diff = save(diff_image(expected, mask), f"diff-{number}.png")
            problems.append(
                f"{case.name} page {number}: {share:.3%} of the pixels differ "
                f"by more than {GREY_LEVELS} grey levels (allowed {MAX_SHARE:.1%})"
                f"; reference: {reference}, actual: {actual}, diff: {diff}"
            )
    if problems:
        shutil.copyfile(pdf, out / pdf.name)
    return problems


@pytest.fixture(scope="module")
def golden_book(tmp_path_factory) -> Iterator[tuple[Book, dict[str, int]]]:
    book, ids = build_golden_book(tmp_path_factory.mktemp("golden") / "golden.sqlite")
    assert book.encrypted
    yield book, ids
    book.close()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_pack_pages_match_the_references(golden_book, case, tmp_path):
    program = pdftoppm()
    book, ids = golden_book
    pdf = write_pack(book, ids[case.client], case, tmp_path)
    pages = render_pages(program, pdf, tmp_path)
    assert pages, f"pdftoppm rendered no page of {pdf}"
    if os.environ.get(UPDATE_ENV) == "1":
        written = write_references(case, pages)
        pytest.skip(f"{UPDATE_ENV}=1: wrote {len(written)} reference pages of {case.name}")
    shutil.rmtree(FAILURES_DIR / case.name, ignore_errors=True)
    problems = compare_case(case, pdf, pages)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_cases_cover_both_languages_and_papers():
    assert {c.lang for c in CASES} == {"zh", "en"}
    assert {c.paper for c in CASES} == {"a4", "letter"}
    assert len({c.name for c in CASES}) == len(CASES)


def test_no_stray_reference_pages():
    """Every PNG in golden/ belongs to a case (a removed case leaves none behind)."""
    known = {p for case in CASES for p in reference_paths(case)}
    stray = sorted(p.name for p in GOLDEN_DIR.glob("*.png") if p not in known)
    assert not stray, f"reference pages of no case in {GOLDEN_DIR}: {stray}"


def test_comparison_passes_the_same_page_and_fails_a_moved_line():
    """The comparison itself: an identical page passes, a line set two pixels lower fails."""
    from PIL import ImageDraw

    page = Image.new("L", (413, 585), 255)
    draw = ImageDraw.Draw(page)
    for row in range(20):
        draw.text((40, 40 + 24 * row), f"Holding {row:02d}    1,234,567.{row:02d}", fill=0)
    same = page.copy()
    assert not differing(page, same).any()
    moved = Image.new("L", page.size, 255)
    draw = ImageDraw.Draw(moved)
    for row in range(20):
        top = 40 + 24 * row + (2 if row == 7 else 0)
        draw.text((40, top), f"Holding {row:02d}    1,234,567.{row:02d}", fill=0)
    share = differing(page, moved).mean()
    assert MAX_SHARE < share < 0.01


def test_a_mismatch_leaves_the_actual_page_and_a_diff_to_look_at(tmp_path, monkeypatch):
    from PIL import ImageDraw

    monkeypatch.setattr(sys.modules[__name__], "GOLDEN_DIR", tmp_path / "golden")
    monkeypatch.setattr(sys.modules[__name__], "FAILURES_DIR", tmp_path / "failures")
    case = Case("probe-en-a4", "probe", "en", "a4")
    pdf = tmp_path / "probe-en-a4.pdf"
    pdf.write_bytes(b"%PDF-1.4 probe")
    page = Image.new("L", (413, 585), 255)
    ImageDraw.Draw(page).rectangle((40, 40, 370, 200), fill=0)
    [problem] = compare_case(case, pdf, [page])
    assert "no reference pages" in problem and "tests.pack.golden_update probe-en-a4" in problem

    write_references(case, [page, page])
    assert [p.name for p in reference_paths(case)] == ["probe-en-a4-1.png", "probe-en-a4-2.png"]
    assert compare_case(case, pdf, [page.copy(), page.copy()]) == []

    moved = Image.new("L", page.size, 255)
    ImageDraw.Draw(moved).rectangle((40, 44, 370, 204), fill=0)
    problems = compare_case(case, pdf, [page.copy(), moved])
    assert len(problems) == 1 and "page 2:" in problems[0]
    out = tmp_path / "failures" / "probe-en-a4"
    assert str(out / "actual-2.png") in problems[0] and str(out / "diff-2.png") in problems[0]
    with Image.open(out / "diff-2.png") as diff:
        red = np.all(np.asarray(diff.convert("RGB")) == (220, 0, 0), axis=2)
    assert red.sum() == differing(page, moved).sum() > 0
    assert (out / "probe-en-a4.pdf").read_bytes() == pdf.read_bytes()

    problems = compare_case(case, pdf, [page.copy()])
    assert "1 pages, the references have 2" in problems[0]
    smaller = page.resize((400, 585))
    problems = compare_case(case, pdf, [smaller, page.copy()])
    assert "400x585 pixels" in problems[0]
