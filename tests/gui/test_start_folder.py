"""Where the file dialogs open (`gui.common.start_folder`): the folder last used while it is
there, else the documents folder, else home."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

from reviewdesk.gui.common import start_folder

KEY = "tests/start_folder"


def test_a_desktop_without_a_documents_folder_opens_at_home(qapp, tmp_path, monkeypatch):
    """Found: on a desktop with no Documents folder, the import dialog opened with
    "Documents" typed in as the file's name."""
    missing = tmp_path / "Documents"
    monkeypatch.setattr(
        QStandardPaths, "writableLocation", staticmethod(lambda _where: str(missing))
    )
    settings = QSettings()
    settings.remove(KEY)
    assert start_folder(settings, KEY) == str(Path.home())
    missing.mkdir()
    assert start_folder(settings, KEY) == str(missing)
    last = tmp_path / "exports"
    last.mkdir()
    settings.setValue(KEY, str(last))
    assert start_folder(settings, KEY) == str(last)
    last.rmdir()  # moved or deleted since: not offered
    assert start_folder(settings, KEY) == str(missing)
    settings.remove(KEY)
