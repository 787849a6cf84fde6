"""Starting the app: a book that cannot be opened is a message, never a traceback."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from reviewdesk.app import AppContext


def test_a_file_that_is_not_a_book_is_reported_in_a_message_box(qapp, tmp_path, monkeypatch):
    from reviewdesk.gui import main

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    # Text is indistinguishable from an encrypted book until a passphrase is tried: the
    # manager is asked for one and gives none.
    asked = []
    monkeypatch.setattr(main, "ask_passphrase", lambda path, new: asked.append(path))
    not_a_book = tmp_path / "notes.sqlite"
    not_a_book.write_text("these are my notes, not a database\n" * 200)
    assert main.run_gui(AppContext(db=str(not_a_book))) == 1
    assert len(shown) == 1 and "notes.sqlite" in shown[0]
    assert len(asked) == 1


def test_the_shipped_font_renders_chinese(qapp):
    from PySide6.QtGui import QFontDatabase

    from reviewdesk.gui.main import install_fonts

    families = install_fonts(qapp)
    assert families
    assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(
        families[0]
    )
    assert families[0] in qapp.font().families()


def test_the_app_makes_the_daily_backup_after_its_window_is_up(
    qtbot, qapp, tmp_path, monkeypatch, passphrase_env
):
    """Opening leaves the backup to the background; it is made once, on the same day."""
    from PySide6.QtWidgets import QMainWindow

    from reviewdesk.book import backup
    from reviewdesk.gui import main
    from reviewdesk.gui.worker import cpu_pool

    path = tmp_path / "book.sqlite"
    AppContext(db=str(path)).book.close()  # an existing book, opened again below
    ctx = AppContext(db=str(path))
    main.open_with_dialogs(ctx)
    assert ctx.backup_on_open is False and backup.list_backups(path) == []
    window = QMainWindow()
    qtbot.addWidget(window)
    main.start_daily_backup(ctx, window)
    cpu_pool().waitForDone(30_000)
    main.start_daily_backup(ctx, window)
    cpu_pool().waitForDone(30_000)
    made = backup.list_backups(path)
    assert [label for _when, label, _path in made] == ["daily"]
    ctx.close()


def test_a_daily_backup_that_cannot_be_written_is_said_in_the_status_bar(
    qtbot, qapp, tmp_path, passphrase_env
):
    """The day's backup fails (here a file named "backups" stands where its folder goes;
    on a nearly full disk, the disk): the window says why, in one sentence, and the book
    is left as it was."""
    from PySide6.QtWidgets import QMainWindow

    from reviewdesk.gui import main
    from reviewdesk.gui.mainwindow import MainWindow
    from reviewdesk.gui.worker import cpu_pool

    path = tmp_path / "book.sqlite"
    AppContext(db=str(path)).book.close()
    (tmp_path / "backups").write_text("in the way")
    ctx = AppContext(db=str(path))
    main.open_with_dialogs(ctx)
    window = QMainWindow()
    qtbot.addWidget(window)
    main.start_daily_backup(ctx, window)
    cpu_pool().waitForDone(30_000)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() != "", timeout=5000)
    said = window.statusBar().currentMessage()
    assert said.startswith("The day's backup was not made: the backup could not be written")
    assert str(tmp_path / "backups") in said and said.endswith("the book is unchanged")
    assert (tmp_path / "backups").read_text() == "in the way"
    # The main window keeps a mark after the message has gone, the reason in its tooltip.
    app_window = MainWindow(ctx)
    qtbot.addWidget(app_window)
    main.start_daily_backup(ctx, app_window)
    cpu_pool().waitForDone(30_000)
    qtbot.waitUntil(lambda: app_window.status_backup.isVisibleTo(app_window), timeout=5000)
    assert app_window.status_backup.text() == "⚠ No backup today"
    assert app_window.status_backup.toolTip() == said
    app_window.statusBar().clearMessage()
    assert app_window.status_backup.isVisibleTo(app_window)
    app_window._show_status()  # as after every list read: the mark stays, the message does not
    assert app_window.statusBar().currentMessage() == ""
    assert app_window.status_backup.toolTip() == said
    ctx.close()


def test_a_number_never_kept_reads_as_none(tmp_path):
    """A first start has no last client: nothing is restored (Qt reads a missing int as 0)."""
    from PySide6.QtCore import QSettings

    from reviewdesk.gui.common import stored_int

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    assert stored_int(settings, "mainwindow/last_client") is None
    settings.setValue("mainwindow/last_client", 12)
    assert stored_int(settings, "mainwindow/last_client") == 12
    settings.setValue("mainwindow/last_client", 0)
    assert stored_int(settings, "mainwindow/last_client") == 0


def test_the_daily_backup_waits_for_the_first_screen(
    qtbot, qapp, tmp_path, monkeypatch, demo_book_path, passphrase_env
):
    """The backup's connection (an encrypted book derives its key again) and its copy of the
    book would take the cores from the launch's reads: it starts once the client list has
    arrived, once, however often the list is read again. The cycle collector, held since
    the start, runs again then too."""
    import gc
    import shutil

    from reviewdesk import collector
    from reviewdesk.gui import main
    from reviewdesk.gui.books import Books
    from tests.conftest import AS_OF

    path = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_book_path, path)
    main.configure_application(qapp)
    started: list[int] = []
    monkeypatch.setattr(
        main, "start_daily_backup", lambda ctx, window: started.append(window.model.rowCount())
    )
    ctx = AppContext(db=str(path), today=AS_OF, user="tester")
    main.open_with_dialogs(ctx)
    books = Books(ctx, [])
    collector.hold()
    window = books.show_book(ctx)
    try:
        assert started == [] and collector.held()  # the window is up; its reads are queued
        qtbot.waitUntil(lambda: bool(started), timeout=30_000)
        assert started[0] == len(window.model.rows) > 0  # the list was there first
        assert gc.isenabled() and not collector.held()
        with qtbot.waitSignal(window.list_loaded, timeout=30_000):
            window.refresh_list()
        assert len(started) == 1
    finally:
        collector.release()
        gc.unfreeze()
        window.close()
        books.close()
