"""The main window at 1024×700, after every client tab has been shown (docs/shots.py).

    xvfb-run -a -s "-screen 0 1440x900x24" sh -c \
        'openbox & sleep 1; PYTHONPATH=$PWD python docs/screenshot_fit.py docs/ --lang en holdings'

Writes <tab>-1024x700-<lang>.png for each tab named (holdings, insurance, review,
profile, risk, documents), e.g. holdings-1024x700-en.png.
"""

from __future__ import annotations

import sys

import shots


def main() -> int:
    def more(parser) -> None:
        parser.add_argument("tabs", nargs="+")
        parser.add_argument("--size", default="1024x700")

    args = shots.arguments(__doc__, lang="en", more=more)
    width, height = (int(n) for n in args.size.split("x"))
    run = shots.Shots(args)
    run.demo_book(clients=120, seed=2026)
    window = run.main_window(size=None)
    run.open_client(run.key_client())
    workspace = window.workspace
    tabs = {
        "review": workspace.review_page,
        "profile": workspace.profile,
        "holdings": workspace.holdings,
        "insurance": workspace.insurance,
        "risk": workspace.risk,
        "documents": workspace.documents,
    }
    for page in tabs.values():  # each tab shown once: the window's minimum is of them all
        workspace.tabs.setCurrentWidget(page)
        run.settle(0.3)
    window.resize(width, height)
    run.settle()
    if window.size().toTuple() != (width, height):
        print(f"the window stays {window.size().toTuple()}", file=sys.stderr)
        return 1
    for name in args.tabs:
        workspace.tabs.setCurrentWidget(tabs[name])
        run.settle()
        run.save(f"{name}-{width}x{height}-{args.lang}.png", window)
    return run.close()


if __name__ == "__main__":
    raise SystemExit(main())
