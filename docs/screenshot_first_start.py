"""The app's first screen while there is no book yet: an empty book of one's own, or the
demo (docs/shots.py).

    xvfb-run -a -s "-screen 0 1440x900x24" sh -c \
        'openbox & sleep 1; PYTHONPATH=$PWD python docs/screenshot_first_start.py docs/ --lang en'

Writes first-start.png (first-start-zh.png in Chinese): the dialog with its window frame.
"""

from __future__ import annotations

import shots


def main() -> int:
    run = shots.Shots(shots.arguments(__doc__, lang="en"))
    from reviewdesk.app import AppContext
    from reviewdesk.gui.books import Books

    books = Books(AppContext(today=shots.TODAY))
    if not books.is_first_start():
        raise SystemExit("a book is already there: not a first start")
    dialog = books.show_first_start()
    run.settle(1.5)
    run.out.mkdir(parents=True, exist_ok=True)
    name = "first-start.png" if run.lang == "en" else f"first-start-{run.lang}.png"
    run.screen(dialog.frameGeometry()).save(str(run.out / name))
    print(run.out / name)
    return run.close()


if __name__ == "__main__":
    raise SystemExit(main())
