"""Qt's own dialogs in the Chinese interface: a file dialog and a question box over the
main window, the whole screen (docs/shots.py).

    xvfb-run -a -s "-screen 0 1440x900x24" sh -c \
        'openbox & sleep 1; PYTHONPATH=$PWD python docs/screenshot_qt_dialogs.py docs/'

Writes qt-dialogs-zh.png.
"""

from __future__ import annotations

import shots


def main() -> int:
    run = shots.Shots(shots.arguments(__doc__))
    run.demo_book()
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from reviewdesk.exchange.template import write_template
    from reviewdesk.i18n import _

    workbook = "客户导入.xlsx" if run.lang == "zh" else "clients.xlsx"
    write_template(run.home / workbook, run.lang)  # a workbook to choose
    window = run.main_window()
    files = QFileDialog(window, _("Import from Excel or CSV"), str(run.home))
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    files.setNameFilters(_("Workbooks and CSV files (*.xlsx *.csv);;All files (*)").split(";;"))
    files.resize(820, 500)
    files.move(window.x() + 40, window.y() + 120)
    files.open()
    box = QMessageBox(
        QMessageBox.Icon.Question,
        _("ReviewDesk"),
        _(
            "Keep the passphrase in this computer's keyring, so that {book} opens without asking?"
        ).format(book="book.sqlite"),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        window,
    )
    box.setWindowModality(box.windowModality().NonModal)
    box.show()
    box.move(window.x() + 880, window.y() + 200)
    run.settle(1.5)
    run.save(f"qt-dialogs-{run.lang}.png")
    return run.close()


if __name__ == "__main__":
    raise SystemExit(main())
