"""Regenerate the golden pages of the review pack (tests/pack/golden/*.png).

    PYTHONPATH=$PWD python -m tests.pack.golden_update            # every case
    PYTHONPATH=$PWD python -m tests.pack.golden_update cny-zh-a4  # some cases

Builds the golden book in a temporary folder, makes each case's pack as the test
does and writes its pages as small greyscale PNGs, replacing the case's old ones.
Look at the pages before committing them: they become what the test holds the
pack to.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from tests.pack.golden_book import build_golden_book
from tests.pack.test_golden_pages import (
    CASES,
    GOLDEN_DIR,
    render_pages,
    write_pack,
    write_references,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.pack.golden_update", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "cases",
        nargs="*",
        metavar="CASE",
        help="cases to regenerate (default: all): " + ", ".join(c.name for c in CASES),
    )
    args = parser.parse_args(argv)
    by_name = {c.name: c for c in CASES}
    unknown = [name for name in args.cases if name not in by_name]
    if unknown:
        parser.error(f"unknown case {', '.join(unknown)}; cases: {', '.join(by_name)}")
    program = shutil.which("pdftoppm")
    if program is None:
        print("pdftoppm is not installed (apt-get install poppler-utils)", file=sys.stderr)
        return 1
    cases = [by_name[name] for name in args.cases] or list(CASES)
    with tempfile.TemporaryDirectory(prefix="reviewdesk-golden-") as work:
        work_dir = Path(work)
        book, ids = build_golden_book(work_dir / "golden.sqlite")
        try:
            for case in cases:
                folder = work_dir / case.name
                folder.mkdir()
                pdf = write_pack(book, ids[case.client], case, folder)
                written = write_references(case, render_pages(program, pdf, folder))
                size = sum(p.stat().st_size for p in written)
                print(f"{case.name}: {len(written)} pages, {size / 1024:.0f} KiB")
        finally:
            book.close()
    total = sum(p.stat().st_size for p in GOLDEN_DIR.glob("*.png"))
    print(f"{GOLDEN_DIR}: {total / 1024:.0f} KiB in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
