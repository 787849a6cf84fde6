"""File > Open a team book…: a branch's shared book on a PostgreSQL server.

The person types where the book is (server, port, database), who they are (user,
password) and, if the bank asks for it, that the connection is encrypted and the
server's certificate verified (sslmode verify-full with a root certificate file). The
connection is tried before the window switches: a wrong password, a server out of
reach, a database that is not a ReviewDesk team book, a person not in its team are each
one sentence under the form, and the form stays open for another try. The password is
kept in the system keyring only if the person ticks it; the recent books keep the
address without it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QWidget
from sqlalchemy.engine import URL, make_url

from reviewdesk.book import keys, server, team
from reviewdesk.book.errors import BookError
from reviewdesk.gui.forms import setup_form
from reviewdesk.gui.worker import BackgroundTask, cpu_pool
from reviewdesk.i18n import N_, _

DRIVER = "postgresql+psycopg"
DEFAULT_PORT = 5432
# The group names of a team book, as the status bar and the dialogs say them.
ROLE_NAMES = {
    "manager": N_("manager"),
    "assistant": N_("assistant"),
    "supervisor": N_("supervisor"),
    "compliance": N_("compliance"),
    "admin": N_("administrator"),
}


def role_name(role: str | None) -> str:
    return _(ROLE_NAMES[role]) if role in ROLE_NAMES else _("not in the team")


@dataclass(frozen=True)
class TeamAddress:
    """Where a team book is and who opens it; never a password."""

    host: str
    port: int
    database: str
    user: str
    verify: bool = False  # TLS with the server's certificate verified (verify-full)
    root_cert: str = ""

    def url(self) -> str:
        query = {"sslmode": "verify-full", "sslrootcert": self.root_cert} if self.verify else {}
        return URL.create(
            DRIVER,
            username=self.user,
            host=self.host,
            port=self.port,
            database=self.database,
            query=query,
        ).render_as_string(hide_password=False)

    @classmethod
    def from_url(cls, url: str) -> TeamAddress:
        parsed = make_url(url)
        return cls(
            host=parsed.host or "localhost",
            port=parsed.port or DEFAULT_PORT,
            database=parsed.database or "",
            user=parsed.username or "",
            verify=parsed.query.get("sslmode") == "verify-full",
            root_cert=str(parsed.query.get("sslrootcert") or ""),
        )

    def label(self) -> str:
        """How the recent books and the status bar name it."""
        return f"{self.database} — {self.user}@{self.host}:{self.port}"


def is_team_location(text: str) -> bool:
    return text.startswith("postgresql")


# How long the check of a team book's connection waits for the server (seconds).
CONNECT_TIMEOUT = 10


def check_connection(url: str, password: str | None) -> team.Me:
    """Who the person is in the team book at `url` (their password given, or kept); a
    `CannotConnect` with one sentence otherwise. Slow when the server does not answer:
    off the UI thread only (`start_check`)."""
    return team.probe(server.with_password(url, given=password or None), timeout=CONNECT_TIMEOUT)


def failure_text(exc: BaseException, url: str) -> str:
    """The one sentence for a failed check of the connection."""
    if isinstance(exc, BookError):
        return exc.message()
    return team.connection_problem(exc, url)


def start_check(
    url: str,
    password: str | None,
    done: Callable[[team.Me], None],
    failed: Callable[[str], None],
) -> BackgroundTask:
    """The connection checked off the UI thread (not on the book worker: the book open
    now keeps saving meanwhile); `done(person)` or `failed(sentence)` on the UI thread."""
    return (
        BackgroundTask(lambda _token: check_connection(url, password))
        .success(done)
        .failure(lambda exc: failed(failure_text(exc, url)))
        .run_on(cpu_pool())
    )


def address_problem(address: TeamAddress) -> str | None:
    """What is missing or wrong in the form, naming the field, or None."""
    for field, value in (
        (_("Server"), address.host),
        (_("Database"), address.database),
        (_("User"), address.user),
    ):
        if not value.strip():
            return _("{field} is empty: fill it in.").format(field=field)
    if address.verify:
        if not address.root_cert:
            return _(
                "Verifying the server's certificate needs the root certificate file: choose it."
            )
        if not Path(address.root_cert).expanduser().is_file():
            return _("Root certificate: {file} is not a file.").format(file=address.root_cert)
    return None


class TeamBookDialog(QDialog):
    """The address of a team book and the person's password; `connected(url, password)`
    once the server said who they are in its team."""

    connected = Signal(str, str, object)  # url (no password), password, team.Me

    def __init__(
        self,
        parent: QWidget | None = None,
        address: TeamAddress | None = None,
        problem: str | None = None,
    ):
        super().__init__(parent)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.task: BackgroundTask | None = None
        self.ui = setup_form("team_book_dialog", self)
        self.intro = self.ui.teamBookIntro
        self.host = self.ui.teamHost
        self.port = self.ui.teamPort
        self.database = self.ui.teamDatabase
        self.user = self.ui.teamUser
        self.password = self.ui.teamPassword
        self.keep = self.ui.teamKeepPassword
        self.has_keyring = keys.available()
        self.keep.setEnabled(self.has_keyring)
        self.verify = self.ui.teamVerify
        self.root_cert = self.ui.teamRootCert
        self.browse = self.ui.teamRootCertBrowse
        self.browse.clicked.connect(self._choose_cert)
        self.cert_box = self.ui.teamRootCertBox
        self.verify.toggled.connect(self._verify_toggled)
        self.form = self.ui.teamBookForm
        self.problem = self.ui.teamBookProblem
        self.buttons = self.ui.teamBookButtons
        self.open_button = self.buttons.button(QDialogButtonBox.StandardButton.Open)
        self.open_button.setObjectName("teamBookOpen")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        if address is not None:
            self.set_address(address)
        self._verify_toggled(self.verify.isChecked())
        self.retranslate()
        self.show_problem(problem)
        (self.password if address is not None else self.host).setFocus()

    def retranslate(self) -> None:
        self.ui.retranslateUi(self)
        self.keep.setToolTip(
            ""
            if self.has_keyring
            else _("There is no system keyring on this computer: the password is asked each time.")
        )
        self.open_button.setText(_("Open"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))

    def set_address(self, address: TeamAddress) -> None:
        self.host.setText(address.host)
        self.port.setValue(address.port)
        self.database.setText(address.database)
        self.user.setText(address.user)
        self.verify.setChecked(address.verify)
        self.root_cert.setText(address.root_cert)

    def address(self) -> TeamAddress:
        return TeamAddress(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
            verify=self.verify.isChecked(),
            root_cert=self.root_cert.text().strip(),
        )

    def _verify_toggled(self, on: bool) -> None:
        self.cert_box.setEnabled(on)

    def _choose_cert(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self,
            _("Root certificate"),
            self.root_cert.text(),
            _("Certificates (*.crt *.pem *.cer);;All files (*)"),
        )
        if name:
            self.root_cert.setText(name)

    def show_problem(self, text: str | None) -> None:
        self.problem.setText(text or "")
        self.problem.setVisible(bool(text))

    def _busy(self, busy: bool) -> None:
        for widget in (self.host, self.port, self.database, self.user, self.password):
            widget.setEnabled(not busy)
        self.open_button.setEnabled(not busy)

    def accept(self) -> None:
        """Try the connection (off the UI thread); the dialog closes once it worked."""
        address = self.address()
        problem = address_problem(address)
        if problem is not None:
            self.show_problem(problem)
            return
        url = address.url()
        password = self.password.text()
        self.problem.setStyleSheet("")
        self.show_problem(_("Connecting to {server}…").format(server=address.host))
        self._busy(True)

        self.task = start_check(
            url, password, lambda person: self._connected(url, password, person), self._failed
        )

    def _connected(self, url: str, password: str, person: team.Me) -> None:
        self._busy(False)
        if self.keep.isChecked() and password:
            try:
                keys.store_account(server.SERVICE, server.account(url), password)
            except BookError as exc:
                self.show_problem(exc.message())
        super().accept()
        self.connected.emit(url, password, person)

    def _failed(self, text: str) -> None:
        self._busy(False)
        self.problem.setStyleSheet("color: #b00020;")
        self.show_problem(text)
        self.password.setFocus()
        self.password.selectAll()
