"""The main window, its review tab and present mode, on a fresh demo book (docs/shots.py).

    xvfb-run -a -s "-screen 0 1440x900x24" sh -c \
        'openbox & sleep 1; PYTHONPATH=$PWD python docs/screenshot_app.py docs/'

Writes main-window.png (the client list and a client's holdings), review.png (the same
window on the Review tab), review-charts.png (scrolled to its charts) and present.png
(present mode's first page).
"""

from __future__ import annotations

import shots


def main() -> int:
    run = shots.Shots(shots.arguments(__doc__))
    run.demo_book(clients=120, seed=2026)
    window = run.main_window()
    run.open_client(run.key_client())
    workspace = window.workspace
    workspace.tabs.setCurrentWidget(workspace.holdings)
    run.settle()
    run.save("main-window.png", window)
    page = workspace.review_page
    workspace.tabs.setCurrentWidget(page)
    run.settle()
    run.save("review.png", window)
    page.scroll_area.ensureWidgetVisible(page.allocation_chart, 0, 0)
    run.settle()
    run.save("review-charts.png", window)
    page.scroll_area.verticalScrollBar().setValue(0)
    window.present_action.trigger()
    run.wait_until(lambda: window.presenting is not None)
    run.wait_until(lambda: all(c.canvas is not None for c in window.presenting.charts))
    run.settle(1.5)
    run.save("present.png", window.presenting)
    return run.close()


if __name__ == "__main__":
    raise SystemExit(main())
