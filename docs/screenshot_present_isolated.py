"""Present mode entered with another client's pack preview open: before and after, the
whole screen, side by side (docs/shots.py).

    xvfb-run -a -s "-screen 0 1440x900x24" sh -c \
        'openbox & sleep 1; PYTHONPATH=$PWD python docs/screenshot_present_isolated.py docs/'

Writes present-isolated.png: left, the main window on one client with another client's
preview over it; right, present mode, where only the presented client is on screen.
"""

from __future__ import annotations

import shots


def main() -> int:
    run = shots.Shots(shots.arguments(__doc__))
    run.demo_book()
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPainter, QPixmap

    from reviewdesk.gui.pdf_preview import PdfPreviewDialog

    window = run.main_window()
    presented, other = window.model.rows[2], window.model.rows[5]
    window.pack.preview(other.id)  # another client's pack, left open
    run.wait_until(lambda: window.findChild(PdfPreviewDialog) is not None)
    preview = window.findChild(PdfPreviewDialog)
    run.open_client(presented.id)
    preview.raise_()
    run.settle(1.5)
    before = run.screen()
    print("before:", run.visible_windows())
    window.present_action.trigger()
    run.wait_until(lambda: window.presenting is not None)
    run.wait_until(lambda: all(c.canvas is not None for c in window.presenting.charts))
    run.settle(2)
    after = run.screen()
    shown = run.visible_windows()
    print("presenting:", shown, "| presented:", presented.summary.name)
    if preview.isVisible() or len(shown) != 1:
        raise SystemExit(f"another window stays on screen: {shown}")

    gap = 24
    both = QPixmap(before.width() + gap + after.width(), max(before.height(), after.height()))
    both.fill(Qt.GlobalColor.white)
    painter = QPainter(both)
    painter.drawPixmap(0, 0, before)
    painter.drawPixmap(before.width() + gap, 0, after)
    painter.end()
    run.out.mkdir(parents=True, exist_ok=True)
    half = both.scaledToWidth(both.width() // 2, Qt.TransformationMode.SmoothTransformation)
    half.save(str(run.out / "present-isolated.png"))
    print(run.out / "present-isolated.png")
    return run.close()


if __name__ == "__main__":
    raise SystemExit(main())
