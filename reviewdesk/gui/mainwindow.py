"""The main window: the client list beside the client workspace, menus, toolbar, status bar."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias, TypeVar

import shiboken6
from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QMargins,
    QObject,
    QRect,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.engine import make_url

from reviewdesk import __version__, paths
from reviewdesk.book import audit, team
from reviewdesk.book.editing import (
    ClientContents,
    client_contents,
    create_client,
    delete_client,
    deletion_warning,
)
from reviewdesk.book.enums import Tier
from reviewdesk.book.errors import BookError
from reviewdesk.book.models import Client
from reviewdesk.gui.agenda_page import AgendaPage
from reviewdesk.gui.charts_view import preload as preload_charts
from reviewdesk.gui.client_list import (
    NAME,
    ROW_ROLE,
    TIER,
    TOTAL,
    ClientFilter,
    ClientListModel,
)
from reviewdesk.gui.common import run_in_book, show_error, stored_int
from reviewdesk.gui.pack_actions import PackActions
from reviewdesk.gui.team_book import TeamAddress, is_team_location, role_name
from reviewdesk.gui.worker import AFTER_VIEW, BackgroundTask, cpu_pool
from reviewdesk.gui.workspace import ClientWorkspace
from reviewdesk.i18n import N_, _, current_language, ngettext
from reviewdesk.money import CURRENCIES, format_money
from reviewdesk.review.client_list import ClientFlag, list_client_rows
from reviewdesk.settings import load_settings

# What the first screen does not show is imported when first used: a launch pays only
# for the agenda, the client list and the client's review.
if TYPE_CHECKING:
    from reviewdesk.gui.calendar_page import CalendarPage
    from reviewdesk.gui.exchange_dialogs import ExchangeActions
    from reviewdesk.gui.present import PresentWindow
    from reviewdesk.gui.restore_backup import RestoreActions
    from reviewdesk.gui.segments_page import SegmentsPage


def is_encrypted(url: str) -> bool:
    return url.split(":", 1)[0].endswith("sqlcipher")


def book_location(book) -> str | Path:
    """A book's file, or its server address without a password (a team book)."""
    if book.path is not None:
        return book.path
    return make_url(book.url).set(password=None).render_as_string(hide_password=False)


def read_team(ctx) -> team.Me | None:
    """The person and their role when the book is a team book on PostgreSQL, else None."""
    book = ctx.book
    if make_url(book.url).get_backend_name() != "postgresql":
        return None
    with book.session() as session:
        if not team.is_team_book(session):
            return None
        return team.me(session)


def last_client_key(location: str | Path) -> str:
    """The setting that remembers the last client of one book (a file path or a URL).

    Client ids are the book's own: client 5 of one book is someone else in another,
    so a client is remembered per book and never carried from one book to another.
    """
    text = str(location)
    if "://" not in text:
        text = str(Path(text).expanduser().resolve())
    return "window/lastClient/" + hashlib.sha256(text.encode()).hexdigest()[:16]


class KeepBehind(QObject):
    """While presenting, every other window of the app stays hidden until the end.

    The windows open when presenting starts are hidden; one that opens meanwhile (a
    preview finishing, an error) is hidden as it shows. `restore()` shows them again.
    """

    def __init__(self, presenter: QWidget, parent: QObject | None = None):
        super().__init__(parent)
        self.presenter = presenter
        self.hidden: list[QWidget] = []
        self.restored = False
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and self._foreign(widget):
                self._hide(widget)

    def _foreign(self, widget: QWidget) -> bool:
        if not widget.isWindow() or widget is self.presenter:
            return False
        owner: QWidget | None = widget
        while owner is not None:  # the presenter's own popups and questions may show
            if owner is self.presenter:
                return False
            owner = owner.parentWidget()
        return True

    def _hide(self, widget: QWidget) -> None:
        if widget not in self.hidden:
            self.hidden.append(widget)
        widget.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and self._foreign(watched)
        ):
            # Never on the screen, not for a moment: the show event comes before the
            # window is put on screen, and a window that does not show on screen is not
            # (a preview finishing mid-meeting had its title, another client's name, over
            # the client's review until the next turn of the event loop). Hidden once its
            # showing is done (hiding inside the show would leave it mapped).
            watched.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
            QTimer.singleShot(0, lambda w=watched: self._hide_late(w))
        return False

    def _hide_late(self, widget: QWidget) -> None:
        if not shiboken6.isValid(widget):
            return
        self._hide(widget)
        # Hidden now: it shows on screen as usual when presenting ends.
        widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, False)
        if self.restored:  # presenting ended meanwhile
            self.restore()
        elif shiboken6.isValid(self.presenter):
            self.presenter.raise_()
            self.presenter.activateWindow()

    def restore(self) -> None:
        self.restored = True
        for widget in self.hidden:
            if shiboken6.isValid(widget):
                widget.show()
        self.hidden = []


def _calendar_page() -> type[CalendarPage]:
    from reviewdesk.gui.calendar_page import CalendarPage

    return CalendarPage


def _segments_page() -> type[SegmentsPage]:
    from reviewdesk.gui.segments_page import SegmentsPage

    return SegmentsPage


# How long nothing must happen before the pack's modules load in the background.
PACK_WARM_UP_MS = 1000
# ... and at the latest this long after the chart library has loaded, busy or not.
PACK_WARM_UP_LATEST_MS = 3000

# The client list's first width in pixels: at least, at most (under a third of the window).
LIST_WIDTH = (320, 460)
# Room beside the tier column's longest word: the cell's margins, and the sort mark's
# beside its heading.
TIER_PADDING = 14
TIER_SORT_MARK = 16
# The totals the total column is made for: up to a billion in any currency, as the
# current language writes them (Chinese in 万 below 亿: "9,999.99万 HKD"; English in
# full: "HKD 999,999,999.99"). Wider ones are elided, and the column can be widened.
WIDEST_TOTALS = (Decimal("99999900.00"), Decimal("999999999.99"))

# The window's size at a first start, when nothing is remembered yet ...
DEFAULT_SIZE = QSize(1440, 880)
# ... if it fits the screen's free area with room for the window manager's frame
# (borders, title bar); on a smaller screen (a 1366x768 laptop) it opens maximised.
FRAME_ROOM = QSize(16, 48)


def first_geometry(room: QRect) -> tuple[QRect, bool]:
    """Where a first start puts the window within the screen's free area `room`.

    The default size centred when it fits with its frame, else the whole area and
    maximised: a window wider than its screen hides its title bar's buttons and the
    right edge of every page.
    """
    if (
        room.width() >= DEFAULT_SIZE.width() + FRAME_ROOM.width()
        and room.height() >= DEFAULT_SIZE.height() + FRAME_ROOM.height()
    ):
        placed = QRect(room.topLeft(), DEFAULT_SIZE)
        placed.moveCenter(room.center())
        return placed, False
    # Un-maximised, it takes the free area less its frame, so that its title bar shows.
    inner = QRect(room.topLeft(), room.size().shrunkBy(QMargins(0, 0, *FRAME_ROOM.toTuple())))
    return inner, True


# The pages over the whole book, beside the clients.
BookPage: TypeAlias = "AgendaPage | CalendarPage | SegmentsPage"
PageT = TypeVar("PageT", "AgendaPage", "CalendarPage", "SegmentsPage")


class MainWindow(QMainWindow):
    list_loaded = Signal()
    rows_updated = Signal()  # some clients' rows read again (`refresh_clients`)
    client_deleted = Signal(int)  # the client's id, once the book no longer has them

    def __init__(self, ctx, parent=None, books=None):
        super().__init__(parent)
        self.ctx = ctx
        # What opens, makes and protects books (reviewdesk.gui.books.Books); without it the
        # window shows its one book and offers no other.
        self.books = books
        self.setObjectName("mainWindow")
        self.settings = QSettings()
        book = ctx.book
        self.client_key = last_client_key(book_location(book))
        # The person and their role in a team book (None: a book of one's own).
        self.me: team.Me | None = read_team(ctx)
        self._restore_client = stored_int(self.settings, self.client_key)
        self._first_load = True

        # the client list
        self.model = ClientListModel(self)
        self.proxy = ClientFilter(self)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda text: self.proxy.set_criteria(text=text))
        self.search.textChanged.connect(self._show_count)
        # Down or Enter goes on into the list, as from any search box with results below.
        self.search.installEventFilter(self)
        self.tier_filter = QComboBox()
        self.tier_filter.setObjectName("tierFilter")
        self.tag_filter = QComboBox()
        self.tag_filter.setObjectName("tagFilter")
        self.flag_filter = QComboBox()
        self.flag_filter.setObjectName("flagFilter")
        # A supervisor's list holds the clients of the branch's managers: one at a time.
        self.manager_filter = QComboBox()
        self.manager_filter.setObjectName("managerFilter")
        self.manager_filter.setVisible(self.role() == "supervisor")
        for combo in (self.tier_filter, self.tag_filter, self.flag_filter, self.manager_filter):
            combo.currentIndexChanged.connect(self._filters_changed)
        self.table = QTableView()
        self.table.setObjectName("clientList")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((120, 60, 140, 86, 86, 160)):
            self.table.setColumnWidth(col, width)
        self._fit_columns()
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._list_menu)
        self.count_label = QLabel()

        filters = QHBoxLayout()
        filters.addWidget(self.tier_filter)
        filters.addWidget(self.tag_filter)
        filters.addWidget(self.flag_filter)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(4, 4, 4, 4)
        ll.addWidget(self.search)
        ll.addWidget(self.manager_filter)
        ll.addLayout(filters)
        ll.addWidget(self.table, 1)
        ll.addWidget(self.count_label)

        self.workspace = ClientWorkspace(ctx)
        self.workspace.list_stale.connect(self.refresh_clients)
        # An edit of the client on screen (an assessment, a review, a policy...) moves what
        # the pages over the book list.
        self.workspace.list_stale.connect(lambda _id: self.book_pages_stale())
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.workspace)
        # Both give way as the window narrows, the list less: a list kept at its width
        # left the client's tables a sliver of a 1024 px window.
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)

        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        # (name, title, shortcut, page class); the agenda is the home page: the day's work.
        # Pages are built (and their modules imported) when first shown: each reads the
        # whole book as it starts.
        self.page_list: list[tuple[str, str, str, Callable[[], type[BookPage]] | None]] = [
            ("agenda", N_("Agenda"), "Ctrl+1", lambda: AgendaPage),
            ("clients", N_("Clients"), "Ctrl+2", None),
            ("calendar", N_("Calendar"), "Ctrl+3", _calendar_page),
            ("segments", N_("Segments"), "Ctrl+4", _segments_page),
        ]
        # The book's pages built so far ("clients", the splitter, is always there).
        self.built_pages: dict[str, BookPage] = {}
        # Pages over the book built but not on screen when the book changed: each reads the
        # book again when next shown (`book_pages_stale`).
        self._stale_pages: set[BookPage] = set()
        self.pages.addWidget(self.splitter)
        self._loaded_pages: set[QWidget] = set()
        self.pages.currentChanged.connect(self._page_shown)
        # A book another window (or a read-only file) keeps from writing says so, and stays
        # saying so: editing is disabled rather than refused after the typing.
        self.read_only_banner = QLabel()
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setStyleSheet(
            "QLabel#readOnlyBanner { background: #fff4ce; color: #5c4400; padding: 6px; "
            "border-bottom: 1px solid #e0c060; }"
        )
        self.read_only_banner.setVisible(ctx.book.read_only)
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.read_only_banner)
        central_layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.pack = PackActions(ctx, self)
        self.pack.failed.connect(self._pack_failed)
        self.pack.finished.connect(self._pack_done)
        self.pack.address_kept.connect(self._address_kept)
        self.pack.notice.connect(self._pack_notice)
        self._pending_notice = ""
        # The pack's modules and fonts (off the UI thread) and the PDF viewer load once
        # nothing has happened for a moment, or a few seconds after the charts' library
        # at the latest: never during the launch, seldom during a client switch, and the
        # first preview of a session is as quick as the next. A pack asked for before
        # then loads them itself, and there is no warm-up (`PackActions.loaded`).
        self._pack_warm_up = QTimer(self)
        self._pack_warm_up.setSingleShot(True)
        self._pack_warm_up.setInterval(PACK_WARM_UP_MS)
        self._pack_warm_up.timeout.connect(self._warm_pack)
        self._pack_warm_up_latest = QTimer(self)
        self._pack_warm_up_latest.setSingleShot(True)
        self._pack_warm_up_latest.setInterval(PACK_WARM_UP_LATEST_MS)
        self._pack_warm_up_latest.timeout.connect(self._warm_pack)
        self.workspace.client_changed.connect(self._postpone_warm_up)
        self.presenting: PresentWindow | None = None
        self._keep_behind: KeepBehind | None = None
        # The review meeting recorded last in this window, which can be removed again:
        # (PackRecord id, client id, review date).
        self.recorded_meeting: tuple[int, int, object] | None = None
        self._exchange: ExchangeActions | None = None
        self._restore: RestoreActions | None = None
        self.workspace.review_page.review_shown.connect(lambda _r: self._enable_client_actions())
        self.workspace.review_page.review_requested.connect(self._enable_client_actions)
        self.workspace.review_page.load_failed.connect(lambda _m: self._enable_client_actions())
        self.workspace.loaded.connect(lambda _d: self._enable_client_actions())
        self.workspace.client_changed.connect(lambda _id: self._enable_client_actions())
        self.workspace.client_changed.connect(self._record_opened)

        self._make_actions()
        self._make_menus()
        self._enable_client_actions()
        self.status_book = QLabel()
        self.status_count = QLabel()
        self.status_security = QLabel()
        self.status_person = QLabel()
        self.status_person.setObjectName("statusPerson")
        self.status_person.setVisible(self.me is not None)
        # A day's backup that could not be made: marked until the window closes, its reason
        # in the tooltip (a full disk is not a thing to show for 30 seconds and forget).
        self.status_backup = QLabel()
        self.status_backup.setObjectName("statusBackup")
        self.status_backup.setVisible(False)
        self.backup_problem: str | None = None
        for label in (
            self.status_backup,
            self.status_person,
            self.status_book,
            self.status_count,
            self.status_security,
        ):
            self.statusBar().addPermanentWidget(label)
        self.retranslate()
        self._restore_layout()  # the start page (the agenda) asks the book worker first
        self.refresh_list()

    @property
    def exchange(self) -> ExchangeActions:
        """Import and export, made on first use."""
        if self._exchange is None:
            from reviewdesk.gui.exchange_dialogs import ExchangeActions

            self._exchange = ExchangeActions(self.ctx, self)
            self._exchange.book_changed.connect(self._book_imported)
            self._exchange.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        return self._exchange

    @property
    def restore(self) -> RestoreActions:
        """Restoring from a backup, made on first use."""
        if self._restore is None:
            from reviewdesk.gui.restore_backup import RestoreActions

            self._restore = RestoreActions(self.ctx, self)
            self._restore.running.connect(lambda busy: self.restore_action.setEnabled(not busy))
        return self._restore

    def _start_warm_up(self) -> None:
        if not self.pack.loaded:
            self._pack_warm_up.start()
            self._pack_warm_up_latest.start()

    def _warm_pack(self) -> None:
        self._pack_warm_up.stop()
        self._pack_warm_up_latest.stop()
        self.pack.warm_up()

    def _postpone_warm_up(self, _client_id=None) -> None:
        if self._pack_warm_up.isActive():
            self._pack_warm_up.start()  # again from now: the manager is busy

    # actions and menus
    def _action(self, name: str, slot, shortcuts=()) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        stack = self.workspace.history
        self.undo_action = self._action("undo", stack.undo, ("Ctrl+Z",))
        self.redo_action = self._action("redo", stack.redo, ("Ctrl+Shift+Z", "Ctrl+Y"))
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.find_action = self._action("find", self.focus_search, (QKeySequence.StandardKey.Find,))
        self.new_client_action = self._action("newClient", self.ask_new_client, ("Ctrl+N",))
        self.settings_action = self._action("settings", self.open_settings, ("Ctrl+,",))
        self.quit_action = self._action("quit", self.close, ("Ctrl+Q",))
        books = self.books
        self.new_book_action = self._action("newBook", lambda: books and books.new_book())
        self.open_book_action = self._action(
            "openBook", lambda: books and books.open_book_file(), ("Ctrl+O",)
        )
        self.open_team_book_action = self._action(
            "openTeamBook", lambda: books and books.open_team_book()
        )
        self.encrypt_book_action = self._action(
            "encryptBook", lambda: books and books.encrypt_book()
        )
        self.change_passphrase_action = self._action(
            "changePassphrase", lambda: books and books.change_passphrase()
        )
        self.import_action = self._action(
            "importWorkbook", lambda: self.exchange.import_workbooks(), ("Ctrl+I",)
        )
        self.export_book_action = self._action("exportBook", lambda: self.exchange.export_book())
        self.template_action = self._action("writeTemplate", lambda: self.exchange.write_template())
        self.restore_action = self._action("restoreBackup", lambda: self.restore.choose())
        self.export_client_action = self._action("exportClient", self.export_client)
        self.refresh_action = self._action("refresh", self.refresh_all, ("F5",))
        self.about_action = self._action("about", self.about)
        self.page_actions = QActionGroup(self)
        for name, _title, key, _cls in self.page_list:
            action = self._action(
                f"page_{name}", lambda _c=False, n=name: self.show_page(n), (key,)
            )
            action.setCheckable(True)
            self.page_actions.addAction(action)
        self.log_contact_action = self._action("logContact", self.log_contact, ("Ctrl+L",))
        self.preview_action = self._action(
            "previewPack", lambda: self._pack_action(self.pack.preview), ("Ctrl+Shift+P",)
        )
        self.export_action = self._action(
            "exportPack", lambda: self._pack_action(self.pack.export), ("Ctrl+E",)
        )
        self.print_action = self._action(
            "printPack", lambda: self._pack_action(self.pack.print_pack), ("Ctrl+P",)
        )
        self.email_action = self._action(
            "emailPack", lambda: self._pack_action(self.pack.email), ("Ctrl+Shift+E",)
        )
        self.present_action = self._action("present", self.present, ("F11",))
        self.remove_meeting_action = self._action("removeMeeting", self.remove_recorded_meeting)
        self.remove_meeting_action.setEnabled(False)
        self.batch_action = self._action("prepareDue", self.prepare_due, ("Ctrl+Shift+B",))
        self.delete_client_action = self._action("deleteClient", lambda: self.ask_delete_client())
        self.hand_over_action = self._action("handOver", self.ask_hand_over)
        self.hand_over_action.setVisible(self.role() == "supervisor")
        # What writes to the book: off in a read-only book.
        self.editing_actions = [
            self.new_client_action,
            self.import_action,
            self.restore_action,
            self.log_contact_action,
            self.delete_client_action,
            self.settings_action,
        ]
        self.client_actions = [
            self.log_contact_action,
            self.preview_action,
            self.export_action,
            self.print_action,
            self.email_action,
            self.present_action,
        ]

    def _make_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addAction(self.new_book_action)
        self.file_menu.addAction(self.open_book_action)
        self.file_menu.addAction(self.open_team_book_action)
        self.recent_menu = self.file_menu.addMenu("")
        self.recent_menu.setObjectName("recentBooks")
        self.recent_menu.aboutToShow.connect(self.fill_recent_menu)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.encrypt_book_action)
        self.file_menu.addAction(self.change_passphrase_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.new_client_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.import_action)
        self.file_menu.addAction(self.export_book_action)
        self.file_menu.addAction(self.template_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.restore_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.settings_action)
        self.benchmarks_action = self._action("benchmarks", self._open_benchmarks)
        self.file_menu.addAction(self.benchmarks_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = bar.addMenu("")
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.find_action)
        self.view_menu = bar.addMenu("")
        for action in self.page_actions.actions():
            self.view_menu.addAction(action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.refresh_action)
        self.client_menu = bar.addMenu("")
        self.client_menu.addAction(self.log_contact_action)
        self.client_menu.addAction(self.remove_meeting_action)
        self.client_menu.addAction(self.hand_over_action)
        self.client_menu.addSeparator()
        self.client_menu.addAction(self.export_client_action)
        self.client_menu.addSeparator()
        self.client_menu.addAction(self.delete_client_action)
        self.pack_menu = bar.addMenu("")
        for entry in (
            self.present_action,
            None,
            self.preview_action,
            self.export_action,
            self.print_action,
            self.email_action,
            None,
            self.batch_action,
        ):
            if entry is None:
                self.pack_menu.addSeparator()
            else:
                self.pack_menu.addAction(entry)
        for menu in (self.file_menu, self.client_menu, self.pack_menu):
            menu.setToolTipsVisible(True)  # why an action is off (an assistant's export)
        self.help_menu = bar.addMenu("")
        self.help_menu.addAction(self.about_action)

        self.toolbar = QToolBar()
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.setMovable(False)
        for entry in (
            *self.page_actions.actions(),
            None,
            self.new_client_action,
            self.undo_action,
            self.redo_action,
            None,
            self.log_contact_action,
            self.present_action,
            self.preview_action,
            self.export_action,
            self.print_action,
            self.email_action,
            None,
            self.settings_action,
        ):
            if entry is None:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(entry)
        self.addToolBar(self.toolbar)

    def retranslate(self) -> None:
        self.setWindowTitle(_("ReviewDesk — Demo") if self.is_demo() else _("ReviewDesk"))
        self.new_book_action.setText(_("New book…"))
        self.open_book_action.setText(_("Open book…"))
        self.open_team_book_action.setText(_("Open a team book…"))
        self.hand_over_action.setText(_("Hand over…"))
        self.recent_menu.setTitle(_("Open recent"))
        self.encrypt_book_action.setText(_("Encrypt book…"))
        self.change_passphrase_action.setText(_("Change passphrase…"))
        self.file_menu.setTitle(_("&File"))
        self.edit_menu.setTitle(_("&Edit"))
        self.view_menu.setTitle(_("&View"))
        self.help_menu.setTitle(_("&Help"))
        self.toolbar.setWindowTitle(_("Toolbar"))
        self.undo_action.setText(_("Undo"))
        self.redo_action.setText(_("Redo"))
        self.find_action.setText(_("Find client"))
        self.new_client_action.setText(_("New client…"))
        self.settings_action.setText(_("Settings…"))
        self.benchmarks_action.setText(_("Benchmarks…"))
        self.quit_action.setText(_("Quit"))
        self.import_action.setText(_("Import from Excel or CSV…"))
        self.export_book_action.setText(_("Export book to Excel…"))
        self.template_action.setText(_("Write import template…"))
        self.restore_action.setText(_("Restore from backup…"))
        self.export_client_action.setText(_("Export this client to Excel…"))
        self.refresh_action.setText(_("Refresh"))
        self.about_action.setText(_("About ReviewDesk"))
        self.client_menu.setTitle(_("&Client"))
        self.pack_menu.setTitle(_("&Pack"))
        for action, (_name, title, _key, _cls) in zip(
            self.page_actions.actions(), self.page_list, strict=True
        ):
            action.setText(_(title))
        self.log_contact_action.setText(_("Log contact…"))
        self.preview_action.setText(_("Preview pack"))
        self.export_action.setText(_("Export pack…"))
        self.print_action.setText(_("Print pack…"))
        self.email_action.setText(_("Email pack…"))
        self.present_action.setText(_("Present"))
        self.remove_meeting_action.setText(_("Remove the recorded review meeting"))
        self.batch_action.setText(_("Prepare this month's packs…"))
        self.delete_client_action.setText(_("Delete client…"))
        if self.ctx.book.read_only:
            self.read_only_banner.setText(
                _(
                    "This book is open read-only ({reason}): it can be read, searched and "
                    "printed from, but nothing in it can be changed here."
                ).format(reason=self.ctx.book.read_only_reason)
            )
        for page in self.built_pages.values():
            page.retranslate()
        self.search.setPlaceholderText(_("Search by name or its pinyin, phone or tag (Ctrl+F)"))
        self.search.setAccessibleName(_("Search clients"))
        self.tier_filter.setAccessibleName(_("Filter by tier"))
        self.tag_filter.setAccessibleName(_("Filter by tag"))
        self.flag_filter.setAccessibleName(_("Filter by flag"))
        self.manager_filter.setAccessibleName(_("Filter by manager"))
        self.table.setAccessibleName(_("Clients"))
        self._shortcut_tips()
        self._enable_client_actions()
        self._fill_filters()
        self.model.retranslate()
        self._fit_columns()
        self.workspace.retranslate()
        self._show_count()
        self._show_status()

    def _fit_columns(self) -> None:
        """The tier column as wide as its longest word in the interface's language
        ("Standard" was cut to "Stand..." in English), its heading and sort mark included;
        the total column as wide as a total up to a billion in that language (140 pixels
        for "9,999.99万 HKD" pushed the last review's date out of a 1440-pixel window's
        list, once the tier column had grown to its heading)."""
        cell = self.table.fontMetrics()
        words = [cell.horizontalAdvance(_(tier.label)) for tier in Tier]
        header = self.table.horizontalHeader()
        heading = header.fontMetrics().horizontalAdvance(_("Tier")) + TIER_SORT_MARK
        self.table.setColumnWidth(TIER, max(*words, heading) + TIER_PADDING)
        lang = current_language()
        widest = max(
            cell.horizontalAdvance(format_money(amount, code, lang))
            for amount in WIDEST_TOTALS
            for code in CURRENCIES
        )
        total = header.fontMetrics().horizontalAdvance(_("Total assets")) + TIER_SORT_MARK
        self.table.setColumnWidth(TOTAL, max(widest, total) + TIER_PADDING)

    def _shortcut_tips(self) -> None:
        """Each toolbar button's tooltip says its shortcut, as the platform writes it."""
        for action in self.toolbar.actions():
            name = action.text().replace("&", "").rstrip("…").rstrip(".")
            keys = action.shortcut()
            if keys.isEmpty():
                action.setToolTip(name)
                continue
            shortcut = keys.toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(_("{action} ({shortcut})").format(action=name, shortcut=shortcut))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.proxy.rowCount() > 0
        ):
            self.enter_list(first=event.key() == Qt.Key.Key_Down)
            return True
        return super().eventFilter(watched, event)

    def enter_list(self, first: bool) -> None:
        """From the search box into the list: on its first row (Down, or Enter with no
        client of the list chosen), or on the client chosen (Enter)."""
        current = self.table.currentIndex()
        if first or not current.isValid():
            current = self.proxy.index(0, NAME)
        self.table.setFocus(Qt.FocusReason.TabFocusReason)
        self.table.setCurrentIndex(current)
        self.table.scrollTo(current, QAbstractItemView.ScrollHint.EnsureVisible)

    def _fill_filters(self) -> None:
        def refill(combo: QComboBox, first: str, items: list[tuple[str, object]]) -> None:
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(first, None)
            for label, data in items:
                combo.addItem(label, data)
            combo.setCurrentIndex(max(combo.findData(keep), 0) if keep is not None else 0)
            combo.blockSignals(False)

        refill(self.tier_filter, _("All tiers"), [(_(t.label), t) for t in Tier])
        tags = sorted({t for row in self.model.rows for t in row.tags})
        refill(self.tag_filter, _("All tags"), [(t, t) for t in tags])
        refill(self.flag_filter, _("All flags"), [(_(f.label), f) for f in ClientFlag])
        managers = sorted({o for o in self.proxy.owners.values() if o})
        refill(self.manager_filter, _("All managers"), [(m, m) for m in managers])

    def _filters_changed(self, *_args) -> None:
        self.proxy.set_criteria(
            tier=self.tier_filter.currentData(),
            tag=self.tag_filter.currentData(),
            flag=self.flag_filter.currentData(),
            manager=self.manager_filter.currentData(),
        )
        self._show_count()

    def _show_count(self, *_args) -> None:
        self.count_label.setText(
            _("{shown} of {total} clients").format(
                shown=self.proxy.rowCount(), total=self.model.rowCount()
            )
        )

    def show_backup_problem(self, reason: str) -> None:
        """Say that the day's backup was not made: for a while in the status bar, and as a
        lasting mark beside the book's name, with the reason in its tooltip."""
        self.backup_problem = reason
        self.statusBar().showMessage(self._mark_backup(reason), 30_000)

    def _mark_backup(self, reason: str) -> str:
        """The lasting mark of a day's backup not made, in the language now chosen; the
        sentence it stands for."""
        from reviewdesk.gui.review_sections import FLAG, tint

        said = _("The day's backup was not made: {reason}").format(reason=reason)
        self.status_backup.setText("⚠ " + _("No backup today"))
        self.status_backup.setToolTip(said)
        self.status_backup.setAccessibleName(said)
        tint(self.status_backup, FLAG)
        self.status_backup.setVisible(True)
        return said

    def _show_status(self) -> None:
        if self.backup_problem is not None:
            self._mark_backup(self.backup_problem)
        book = self.ctx.book
        name = book.path.name if book.path else book.display_name
        self.status_book.setText(_("Book: {name}").format(name=name))
        self.status_book.setToolTip(book.display_name)
        count = self.model.rowCount()
        self.status_count.setText(
            ngettext("{count} client", "{count} clients", count).format(count=count)
        )
        encrypted = getattr(book, "encrypted", None)
        if encrypted is None:
            encrypted = is_encrypted(book.url)
        self.status_security.setText(_("Encrypted") if encrypted else _("Plain (not encrypted)"))
        me = self.me
        if me is not None:
            self.status_book.setText(
                _("Team book: {name}").format(name=make_url(book.url).database)
            )
            self.status_security.setText(
                _("Encrypted connection") if "sslmode=verify" in book.url else ""
            )
            self.status_security.setVisible(bool(self.status_security.text()))
            person = _("{person} · {role}").format(person=me.name, role=role_name(me.role))
            if me.branch:
                person = _("{person} · branch {branch}").format(person=person, branch=me.branch)
            self.status_person.setText(person)

    # the list
    def refresh_list(self) -> None:
        today = self.ctx.today

        team_book = self.me is not None

        def work(session):
            settings = load_settings(session)
            rows = list_client_rows(session, today, settings.maturity_window_days, settings)
            if not team_book:  # a book file has no owners to filter by
                return rows, {}
            return rows, {
                cid: owner for cid, owner in session.execute(select(Client.id, Client.owner))
            }

        run_in_book(self.ctx, work, self._rows_loaded, lambda exc: show_error(self, exc))

    def refresh_clients(self, *client_ids: int, choose: int | None = None) -> None:
        """The rows of these clients read again (an edit, a contact, a new client, a deleted
        one, a hand-over), the same way as the whole list's; the other rows stay as they
        are, and the row of `choose` is chosen once read. Before the list's first answer
        the whole list is still to come."""
        if self._first_load:
            if choose is not None:
                self._restore_client = choose
            return
        today = self.ctx.today
        ids = set(client_ids)
        team_book = self.me is not None

        def work(session):
            settings = load_settings(session)
            rows = list_client_rows(
                session, today, settings.maturity_window_days, settings, client_ids=ids
            )
            if not team_book:
                return rows, {}
            owners = select(Client.id, Client.owner).where(Client.id.in_(ids))
            return rows, {cid: owner for cid, owner in session.execute(owners)}

        def loaded(result) -> None:
            rows, owners = result
            self.proxy.owners.update(owners)
            self.model.update_rows(ids, rows)
            self._fill_filters()
            self._filters_changed()
            self._show_status()
            if choose is not None:
                self.select_client(choose)
            self.rows_updated.emit()

        run_in_book(self.ctx, work, loaded, lambda exc: show_error(self, exc))

    def _rows_loaded(self, loaded) -> None:
        rows, owners = loaded
        current = self.workspace.client_id
        self.proxy.owners = owners
        self.model.set_rows(rows)
        self._fill_filters()
        self._filters_changed()
        self._show_status()
        if self._first_load:
            self._first_load = False
            current = self._restore_client
            # The list answers now; the charts' library loads meanwhile, off the UI thread.
            # What a first pack preview needs follows once the manager pauses.
            BackgroundTask(lambda _token: preload_charts()).success(
                lambda _r: self._start_warm_up()
            ).run_on(cpu_pool())
        if current is not None:
            self.select_client(current)
        self.list_loaded.emit()

    def select_client(self, client_id: int) -> bool:
        row = self.model.row_of(client_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, NAME))
        if not index.isValid():
            self.search.clear()
            self.tier_filter.setCurrentIndex(0)
            self.tag_filter.setCurrentIndex(0)
            self.flag_filter.setCurrentIndex(0)
            self.manager_filter.setCurrentIndex(0)
            index = self.proxy.mapFromSource(self.model.index(row, NAME))
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        if self.workspace.client_id != client_id:
            self.workspace.open_client(client_id)
        return True

    def _row_chosen(self, current, _previous) -> None:
        if not current.isValid():
            return
        row = current.data(ROW_ROLE) or self.proxy.index(current.row(), NAME).data(ROW_ROLE)
        if row is not None and row.id != self.workspace.client_id:
            self.workspace.open_client(row.id)

    # pages
    def page(self, name: str) -> QWidget:
        """A page of the window, built on first use."""
        return self.splitter if name == "clients" else self.book_page(name)

    def book_page(self, name: str) -> BookPage:
        """A page over the whole book (all but the clients), built on first use."""
        page = self.built_pages.get(name)
        if page is None:
            page_class = next(spec[3] for spec in self.page_list if spec[0] == name)
            if page_class is None:
                raise LookupError(f"{name} is not a page over the book")
            page = page_class()(self.ctx)
            page.setObjectName(f"{name}Page")
            page.open_client.connect(self.show_client)
            page.start_review.connect(self.start_review)
            page.loaded.connect(lambda p=page: self._loaded_pages.add(p))
            if name == "agenda":
                page.first_step.connect(self._first_step)  # type: ignore[union-attr]
            if name in ("agenda", "calendar"):
                page.contact_saved.connect(self._contact_saved)  # type: ignore[union-attr]
                page.log_contact.connect(self._contact_started)  # type: ignore[union-attr]
            if name == "segments":
                page.tier_changed.connect(  # type: ignore[union-attr]
                    lambda cid: self.refresh_clients(cid)
                )
            self.built_pages[name] = page
            self.pages.addWidget(page)
        return page

    def _page_as(self, name: str, kind: type[PageT]) -> PageT:
        page = self.book_page(name)
        if not isinstance(page, kind):
            raise TypeError(f"the {name} page is a {type(page).__name__}")
        return page

    @property
    def agenda(self) -> AgendaPage:
        return self._page_as("agenda", AgendaPage)

    @property
    def calendar(self) -> CalendarPage:
        return self._page_as("calendar", _calendar_page())

    @property
    def segments(self) -> SegmentsPage:
        return self._page_as("segments", _segments_page())

    def show_page(self, name: str) -> None:
        self.pages.setCurrentWidget(self.page(name))

    def current_page_name(self) -> str:
        current = self.pages.currentWidget()
        if current is self.splitter:
            return "clients"
        return next(n for n, p in self.built_pages.items() if p is current)

    def book_pages_stale(self) -> None:
        """The book changed: the page over it on screen reads it again now, the others
        when next shown. Found: a client added or assessed was missing from the agenda, or
        listed under its old state, until the manager pressed Refresh."""
        current = self.pages.currentWidget()
        for page in self.built_pages.values():
            if page is current:
                self._stale_pages.discard(page)
                page.refresh()
            else:
                self._stale_pages.add(page)

    def _page_shown(self, _index: int) -> None:
        name = self.current_page_name()
        shown = self.built_pages.get(name)
        if shown is not None and shown in self._stale_pages:
            self._stale_pages.discard(shown)
            shown.refresh()
        for action, spec in zip(self.page_actions.actions(), self.page_list, strict=True):
            action.setChecked(spec[0] == name)
        self._enable_client_actions()

    def show_client(self, client_id: int) -> None:
        self.show_page("clients")
        self.select_client(client_id)

    def start_review(self, client_id: int) -> None:
        """A review is due: open the client on its holdings and start from the last snapshot."""
        self.show_client(client_id)
        workspace = self.workspace

        def ready(detail) -> None:
            workspace.loaded.disconnect(ready)
            if detail is not None and detail.client.id == client_id:
                workspace.tabs.setCurrentWidget(workspace.holdings)
                workspace.holdings.ask_new_review()

        if workspace.detail is not None and workspace.detail.client.id == client_id:
            ready(workspace.detail)
            return
        workspace.loaded.connect(ready)

    def _contact_started(self, client_id: int) -> None:
        self.statusBar().showMessage(_("Logging a contact…"), 3000)

    def _contact_saved(self, client_id: int) -> None:
        for name in ("agenda", "calendar"):
            page = self.built_pages.get(name)
            if page is not None and page is not self.sender():
                page.refresh()
        if client_id == self.workspace.client_id:
            self.workspace.reload()

    def log_contact(self) -> None:
        detail = self.workspace.detail
        if detail is None or self.pages.currentWidget() is not self.splitter:
            return
        from reviewdesk.gui.contact_dialog import ContactDialog

        dialog = ContactDialog(
            self.ctx, detail.client.id, detail.client.name, self.ctx.today, parent=self
        )
        dialog.saved.connect(self._contact_saved)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    # the pack and present mode
    def _enable_client_actions(self) -> None:
        # The client's actions act on the client on screen: on the other pages the
        # workspace still holds the client last opened, whom nobody is looking at.
        on_screen = self.pages.currentWidget() is self.splitter
        has_client = on_screen and self.workspace.detail is not None
        has_review = has_client and self.workspace.review() is not None
        self.log_contact_action.setEnabled(has_client)
        self.delete_client_action.setEnabled(has_client)
        self.export_client_action.setEnabled(has_client)
        for action in self.client_actions[1:]:
            action.setEnabled(has_review)
        self.hand_over_action.setEnabled(has_client and self.role() == "supervisor")
        if self.ctx.book.read_only:
            for action in self.editing_actions:
                action.setEnabled(False)
        if self.role() == "assistant":
            # An assistant works on the clients of the managers they assist; the data
            # leaves the bank through the managers only: no export, no email, no batch.
            why = _("An assistant does not export or email clients' data: ask the manager.")
            for action in self.assistant_barred():
                action.setEnabled(False)
                action.setToolTip(why)
        self._enable_book_actions()

    def role(self) -> str | None:
        """The person's role in a team book; None in a book of one's own."""
        return self.me.role if self.me is not None else None

    def assistant_barred(self) -> list[QAction]:
        return [
            self.export_action,
            self.export_client_action,
            self.export_book_action,
            self.email_action,
            self.batch_action,
        ]

    # the book
    def is_demo(self) -> bool:
        return paths.is_demo_book(self.ctx.book.path)

    def _enable_book_actions(self) -> None:
        book = self.ctx.book
        switching = self.books is not None
        for action in (self.new_book_action, self.open_book_action, self.open_team_book_action):
            action.setEnabled(switching)
        self.recent_menu.setEnabled(switching)
        own_file = switching and book.path is not None and not book.read_only
        self.encrypt_book_action.setEnabled(own_file and not book.encrypted)
        self.change_passphrase_action.setEnabled(own_file and bool(book.encrypted))
        # Only what applies to this book is offered.
        self.encrypt_book_action.setVisible(not book.encrypted)
        self.change_passphrase_action.setVisible(bool(book.encrypted))

    def book_protection_changed(self) -> None:
        """The book was encrypted or its passphrase changed: the status and the menu follow."""
        self._show_status()
        self._enable_book_actions()

    def fill_recent_menu(self) -> None:
        """The books opened last, the one open now excepted; files gone are dropped, with a
        word in the status bar."""
        from reviewdesk.gui.books import forget_missing_books, recent_books, same_file

        menu = self.recent_menu
        menu.clear()
        missing = forget_missing_books()
        if missing:
            self.statusBar().showMessage(
                _("No longer there, removed from the recent books: {books}").format(
                    books=", ".join(missing)
                ),
                15_000,
            )
        shown = 0
        here = str(book_location(self.ctx.book))
        for name in recent_books():
            if is_team_location(name):
                if name == here:
                    continue
                action = menu.addAction(
                    TeamAddress.from_url(name).label() + "  (" + _("team book") + ")"
                )
                action.setObjectName("recentBook")
                action.setData(name)
                action.triggered.connect(
                    lambda _c=False, n=name: self.books.open_recent(n) if self.books else None
                )
                shown += 1
                continue
            path = Path(name)
            if same_file(path, self.ctx.book.path):
                continue
            label = path.name + ("  (" + _("Demo") + ")" if paths.is_demo_book(path) else "")
            action = menu.addAction(f"{label} — {path.parent}")
            action.setObjectName("recentBook")
            action.setData(name)
            action.triggered.connect(
                lambda _c=False, n=name: self.books.open_recent(n) if self.books else None
            )
            shown += 1
        if not shown:
            empty = menu.addAction(_("No other recent books"))
            empty.setEnabled(False)

    def _pack_action(self, method) -> None:
        review = self.workspace.review()
        if review is None or self.pages.currentWidget() is not self.splitter:
            return
        method(review.client.id, review.review_date)

    def _pack_failed(self, message: str) -> None:
        """The pack's own warning says it (`PackActions._fail`, held while presenting); the
        status bar keeps it. Found: a pack that failed showed two boxes, the pack's and
        this window's, one after the other."""
        self._pending_notice = ""
        self.statusBar().showMessage(
            _("The pack could not be produced: {error}").format(error=message), 20_000
        )

    def _pack_notice(self, text: str) -> None:
        """Shown now and kept for the message that ends the action, so it is not lost."""
        self._pending_notice = text
        self.statusBar().showMessage(text, 20_000)

    def _pack_done(self, action: str, result) -> None:
        notice, self._pending_notice = self._pending_notice, ""
        if action == "saved":
            text = _("Pack saved: {path}").format(path=result)
        elif action == "printed":
            text = _("Pack sent to the printer ({pages} pages)").format(pages=result)
        elif action == "emailed":
            text = _("Email draft written: {path}").format(path=result[1])
        else:
            return
        self.statusBar().showMessage(
            f"{text}  {notice}" if notice else text, 20_000 if notice else 8000
        )

    def _address_kept(self, client_id: int) -> None:
        """An email's address became the client's: its row and, on screen, its profile."""
        self.refresh_clients(client_id)
        if client_id == self.workspace.client_id:
            self.workspace.reload()

    def prepare_due(self) -> None:
        from reviewdesk.gui.batch import PrepareDueDialog

        dialog = PrepareDueDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.batch_finished.connect(lambda _result: self.refresh_list())
        dialog.open()

    def present(self) -> None:
        """Full screen, the client on screen only: every other window of the app (this
        one, previews, dialogs) is hidden until presenting ends."""
        review = self.workspace.review()
        if review is None or self.presenting is not None:
            return
        if self.pages.currentWidget() is not self.splitter:
            return  # no client on screen: the one held behind the page is nobody's choice
        from reviewdesk.gui.present import PresentWindow

        window = PresentWindow(review, None)
        window.setObjectName("presentWindow")
        self._record_access("presented", review.client.id, f"review {review.review_date}")
        self.presenting = window
        window.closed.connect(self._presenting_ended)
        app = QApplication.instance()
        self._keep_behind = KeepBehind(window, self)
        self.pack.hold()  # a pack asked for before opens nothing over the meeting
        if app is not None:
            app.installEventFilter(self._keep_behind)
        window.present(self.screen())

    def _record_opened(self, client_id: int | None) -> None:
        if client_id is not None:
            # Written after the client's review is read: the switch does not wait for it.
            self._record_access("opened", client_id, "desktop", AFTER_VIEW)

    def _record_access(self, action: str, client_id: int, detail: str, priority: int = 0) -> None:
        """Who looked at whom: an access event in the audit trail (compliance's `audit
        --who`), in the database's own trail on a team book, in the book's on a file."""
        if self.ctx.book.read_only:
            return

        def failed(exc: BaseException) -> None:
            self.statusBar().showMessage(
                _("The audit trail could not record this access: {error}").format(
                    error=exc.message() if isinstance(exc, BookError) else exc
                ),
                15_000,
            )

        run_in_book(
            self.ctx,
            lambda s: audit.record_event(s, action, client_id, detail),
            None,
            failed,
            priority,
        )

    def _presenting_ended(self) -> None:
        window, self.presenting = self.presenting, None
        keep, self._keep_behind = self._keep_behind, None
        if keep is not None:
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(keep)
            keep.restore()
            keep.deleteLater()
        self.show()
        self.activateWindow()
        if window is not None and not self.ctx.book.read_only:
            self.ask_record_meeting(window.review, window.lang)
        # What a pack held meanwhile goes on, from the event loop rather than inside the
        # presentation's closing (its questions run event loops of their own).
        QTimer.singleShot(0, self.pack.release)

    def ask_record_meeting(self, review, lang: str) -> QMessageBox:
        """Whether the presentation was the client's review meeting: only then is it
        recorded, as the review of this date and a contact today."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("ReviewDesk"),
            _(
                "Record this presentation as today's review meeting with {name}? "
                "It counts as the review and as a contact, and moves the next review due."
            ).format(name=review.client.name),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("recordMeeting")
        record = box.addButton(_("Record the review meeting"), QMessageBox.ButtonRole.YesRole)
        record.setObjectName("recordMeetingYes")
        skip = box.addButton(_("Do not record"), QMessageBox.ButtonRole.NoRole)
        skip.setObjectName("recordMeetingNo")
        box.setDefaultButton(skip)
        box.setEscapeButton(skip)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        def answered(_result: int) -> None:
            if box.clickedButton() is record:
                self._record_meeting(review, lang)

        box.finished.connect(answered)
        box.open()
        return box

    def _record_meeting(self, review, lang: str) -> None:
        client_id, review_date, name = review.client.id, review.review_date, review.client.name

        def done(record_id: int) -> None:
            self.recorded_meeting = (record_id, client_id, review_date)
            self.remove_meeting_action.setEnabled(True)
            self.statusBar().showMessage(
                _("Recorded as today's review meeting with {name}.").format(name=name), 10_000
            )
            self._meetings_changed(client_id)

        from reviewdesk.pack.produce import record_meeting

        run_in_book(
            self.ctx,
            lambda s: record_meeting(s, client_id, review_date, lang, review.today),
            done,
            lambda exc: show_error(self, exc),
        )

    def remove_recorded_meeting(self) -> None:
        """Take back the review meeting recorded last (the removal is in the audit trail)."""
        if self.recorded_meeting is None:
            return
        record_id, client_id, _day = self.recorded_meeting

        def done(_result) -> None:
            self.recorded_meeting = None
            self.remove_meeting_action.setEnabled(False)
            self.statusBar().showMessage(_("The recorded review meeting was removed."), 10_000)
            self._meetings_changed(client_id)

        from reviewdesk.pack.produce import remove_meeting

        run_in_book(
            self.ctx, lambda s: remove_meeting(s, record_id), done, lambda e: show_error(self, e)
        )

    def _meetings_changed(self, client_id: int) -> None:
        """The next dues moved: the list and the pages over the book show them anew."""
        self.refresh_clients(client_id)
        self.book_pages_stale()

    def focus_search(self) -> None:
        self.pages.setCurrentWidget(self.splitter)
        self.search.setFocus()
        self.search.selectAll()

    def refresh_all(self) -> None:
        """The book or its settings changed as a whole: the list, the open client and the
        pages over the book."""
        self.refresh_list()
        self.workspace.reload()
        self.book_pages_stale()

    def _book_imported(self) -> None:
        """An import changed the book: the list, the open client and the pages built so far."""
        self.refresh_all()

    def export_client(self) -> None:
        detail = self.workspace.detail
        if detail is not None:
            client = detail.client
            self.exchange.export_client(client.id, client.code, client.name)

    # commands
    def _list_menu(self, pos) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        row = self.proxy.index(index.row(), NAME).data(ROW_ROLE)
        if row is None:
            return
        menu = QMenu(self)
        menu.setObjectName("clientListMenu")
        delete = menu.addAction(_("Delete client…"))
        delete.setObjectName("deleteClientFromList")
        delete.setEnabled(not self.ctx.book.read_only)
        delete.triggered.connect(lambda _c=False, cid=row.id: self.ask_delete_client(cid))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def ask_delete_client(self, client_id: int | None = None) -> None:
        """Ask, naming the client and all that goes with them, then delete."""
        if self.ctx.book.read_only:
            return
        if client_id is None:
            detail = self.workspace.detail
            if detail is None:
                return
            client_id = detail.client.id
        target = client_id

        def ask(contents: ClientContents) -> None:
            self.confirm_delete_client(contents)

        run_in_book(
            self.ctx, lambda s: client_contents(s, target), ask, lambda exc: show_error(self, exc)
        )

    def confirm_delete_client(self, contents: ClientContents) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Delete client"),
            deletion_warning(contents),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("deleteClient")
        delete = box.addButton(
            _("Delete {code} {name}").format(code=contents.code, name=contents.name),
            QMessageBox.ButtonRole.DestructiveRole,
        )
        delete.setObjectName("deleteClientYes")
        keep = box.addButton(_("Keep the client"), QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("deleteClientNo")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        def answered(_result: int) -> None:
            if box.clickedButton() is delete:
                self._delete_client(contents)

        box.finished.connect(answered)
        box.open()
        return box

    def _delete_client(self, contents: ClientContents) -> None:
        def done(_result) -> None:
            if self.workspace.client_id == contents.id:
                self.workspace.open_client(None)
                self._enable_client_actions()
            if self.recorded_meeting is not None and self.recorded_meeting[1] == contents.id:
                self.recorded_meeting = None
                self.remove_meeting_action.setEnabled(False)
            self.statusBar().showMessage(
                _("{code} {name} was deleted.").format(code=contents.code, name=contents.name),
                10_000,
            )
            self.refresh_clients(contents.id)
            self.book_pages_stale()
            self.client_deleted.emit(contents.id)

        run_in_book(
            self.ctx,
            lambda s: delete_client(s, contents.id),
            done,
            lambda exc: show_error(self, exc),
        )

    # a supervisor's hand-over
    def ask_hand_over(self) -> None:
        """Client > Hand over…: the client on screen to another manager of the team."""
        detail = self.workspace.detail
        if detail is None or self.role() != "supervisor":
            return
        client_id = detail.client.id

        def read(session):
            owner = session.scalar(select(Client.owner).where(Client.id == client_id))
            managers = [
                p.name
                for p in team.members(session)
                if p.role == "manager" and p.left_at is None and p.name != owner
            ]
            return owner, managers

        code, name = detail.client.code, detail.client.name

        def choose(found: tuple[str | None, list[str]]) -> None:
            self.choose_hand_over(client_id, code, name, *found)

        run_in_book(
            self.ctx,
            read,
            choose,
            lambda exc: show_error(self, exc),
        )

    def choose_hand_over(
        self, client_id: int, code: str, name: str, owner: str | None, managers: list[str]
    ) -> QInputDialog | None:
        if not managers:
            QMessageBox.information(
                self,
                _("Hand over"),
                _("There is no other manager in the team to hand {name} over to.").format(
                    name=name
                ),
            )
            return None
        dialog = QInputDialog(self)
        dialog.setObjectName("handOverChoice")
        dialog.setWindowTitle(_("Hand over"))
        dialog.setLabelText(
            _("Hand {code} {name} (now {owner}'s) over to:").format(
                code=code, name=name, owner=owner or _("nobody")
            )
        )
        dialog.setComboBoxItems(managers)
        dialog.setComboBoxEditable(False)
        dialog.setOkButtonText(_("Continue"))
        dialog.setCancelButtonText(_("Cancel"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.textValueSelected.connect(
            lambda target: self.confirm_hand_over(client_id, code, name, owner, target)
        )
        dialog.open()
        return dialog

    def confirm_hand_over(
        self, client_id: int, code: str, name: str, owner: str | None, target: str
    ) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Hand over"),
            _(
                "Hand {code} {name} over to {target}? {owner} loses access to the client at "
                "once; the hand-over is recorded in the audit trail."
            ).format(code=code, name=name, target=target, owner=owner or _("Nobody")),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("confirmHandOver")
        go = box.addButton(
            _("Hand over to {target}").format(target=target), QMessageBox.ButtonRole.AcceptRole
        )
        go.setObjectName("confirmHandOverYes")
        keep = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        keep.setObjectName("confirmHandOverNo")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)

        def answered(_result: int) -> None:
            if box.clickedButton() is go:
                self._hand_over(client_id, target)

        box.finished.connect(answered)
        box.open()
        return box

    def _hand_over(self, client_id: int, target: str) -> None:
        def done(handed: team.HandOver) -> None:
            self.statusBar().showMessage(
                _("{name} is now {target}'s (was {owner}).").format(
                    name=handed.client_name, target=handed.owner, owner=handed.previous or "—"
                ),
                15_000,
            )
            self.refresh_clients(client_id)
            self.workspace.reload()
            self.book_pages_stale()

        run_in_book(
            self.ctx,
            lambda s: team.assign(s, str(client_id), target),
            done,
            lambda exc: show_error(self, exc),
        )

    def _first_step(self, step: str) -> None:
        """A link of an empty book's agenda: a new client, or the import."""
        action = {"new_client": self.new_client_action, "import": self.import_action}.get(step)
        if action is not None and action.isEnabled():  # not on a book opened read-only
            action.trigger()

    def ask_new_client(self) -> None:
        name, ok = QInputDialog.getText(self, _("New client"), _("Name"))
        if not ok or not name.strip():
            return

        def work(session):
            currency = load_settings(session).default_currency
            return create_client(session, name.strip(), currency)

        def created(client_id):
            # Found: from the agenda, the new client was made and nothing on screen showed
            # it; the client opens in the list, ready for its details.
            self._restore_client = None
            self.show_page("clients")
            self.workspace.open_client(client_id)
            self.refresh_clients(client_id, choose=client_id)
            self.book_pages_stale()

        run_in_book(self.ctx, work, created, lambda exc: show_error(self, exc))

    def open_settings(self) -> None:
        from reviewdesk.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ctx, self)
        dialog.language_changed.connect(self.retranslate)
        dialog.saved.connect(self.refresh_all)
        dialog.open()

    def _open_benchmarks(self) -> None:
        from reviewdesk.gui.benchmarks_dialog import open_benchmarks

        open_benchmarks(self)

    def about(self) -> None:
        QMessageBox.about(
            self,
            _("About ReviewDesk"),
            _("ReviewDesk {version}: client reviews for relationship managers.").format(
                version=__version__
            ),
        )

    # layout memory
    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        # Qt brings a remembered window back inside the screen it now has, but refuses a
        # geometry remembered on a screen much narrower or wider (a laptop's 1366 pixels
        # on a 1920 monitor): the window then opens as on a first start, not at Qt's
        # default 640x480.
        if not (isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)):
            screen = self.screen() or QGuiApplication.primaryScreen()
            room = screen.availableGeometry() if screen is not None else QRect()
            placed, maximised = first_geometry(room) if room.isValid() else (QRect(), False)
            if placed.isValid():
                self.setGeometry(placed)
            else:
                self.resize(DEFAULT_SIZE)
            if maximised:
                self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        start = self.settings.value("window/page", "agenda", str)
        self.show_page(start if start in {spec[0] for spec in self.page_list} else "agenda")
        split = self.settings.value("window/splitter")
        if isinstance(split, QByteArray):
            self.splitter.restoreState(split)
        else:
            self.default_split()

    def default_split(self) -> None:
        """The list takes under a third of the window: the client's tables need the rest
        (a fixed 600 px left the holdings' values out of view in a 1280 px window)."""
        listed = min(LIST_WIDTH[1], max(LIST_WIDTH[0], self.width() * 3 // 10))
        self.splitter.setSizes([listed, self.width() - listed])

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.setValue("window/page", self.current_page_name())
        if self.workspace.client_id is not None:
            self.settings.setValue(self.client_key, self.workspace.client_id)
        self.settings.sync()

    def closeEvent(self, event):  # noqa: N802
        self.save_layout()
        super().closeEvent(event)
