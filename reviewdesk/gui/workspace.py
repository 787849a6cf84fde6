"""The client workspace: one client's tabs, loaded through the book worker."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from reviewdesk.book.editing import load_client_detail
from reviewdesk.book.models import Client
from reviewdesk.gui.common import lock_for_reading, run_in_book, show_error
from reviewdesk.gui.documents_tab import DocumentsTab
from reviewdesk.gui.holdings_tab import HoldingsTab
from reviewdesk.gui.insurance_tab import InsuranceTab
from reviewdesk.gui.profile_tab import ProfileTab
from reviewdesk.gui.review_page import ReviewPage
from reviewdesk.gui.risk_tab import RiskTab
from reviewdesk.gui.undo import EditHistory
from reviewdesk.i18n import N_, _
from reviewdesk.settings import Settings, load_settings


@dataclass
class ClientDetail:
    client: Client
    settings: Settings


def load_detail(session, client_id: int) -> ClientDetail:
    return ClientDetail(load_client_detail(session, client_id), load_settings(session))


class ClientWorkspace(QWidget):
    loaded = Signal(object)  # ClientDetail, after every tab shows it
    list_stale = Signal()  # the client list's figures may have changed
    client_changed = Signal(object)  # the client id chosen (None: none), before any data

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.detail: ClientDetail | None = None
        self.client_id: int | None = None
        self._generation = 0

        self.title = QLabel()
        self.title.setObjectName("clientTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("clientTabs")
        # One history of edits for the client on screen, whichever tab made them.
        self.history = EditHistory(ctx, self)
        self.profile = ProfileTab(ctx, history=self.history)
        self.holdings = HoldingsTab(ctx, history=self.history)
        self.insurance = InsuranceTab(ctx, history=self.history)
        self.risk = RiskTab(ctx, history=self.history)
        self.documents = DocumentsTab(ctx)
        self.review_page = ReviewPage(ctx)
        self.review_page.setObjectName("reviewPage")
        self.review_page.review_shown.connect(self._review_shown)
        self.review_page.load_failed.connect(self._load_deferred_detail)
        self._detail_after_review: int | None = None
        self._review_stale = False
        self.pages: list[tuple[QWidget, str]] = [
            (self.review_page, N_("Review")),
            (self.profile, N_("Profile and family")),
            (self.holdings, N_("Holdings")),
            (self.insurance, N_("Insurance")),
            (self.risk, N_("Risk profile")),
            (self.documents, N_("Documents")),
        ]
        for page, _title in self.pages:
            self.tabs.addTab(page, "")
        for changed in (
            self.profile.changed,
            self.holdings.changed,
            self.insurance.changed,
            self.risk.changed,
            self.documents.changed,
        ):
            changed.connect(self.reload)
            changed.connect(self.list_stale)
        self.holdings.values_changed.connect(self.list_stale)
        # A new review is the chosen one at once: on the review page and for the pack.
        self.holdings.review_created.connect(self._review_created)
        # Edits make the review out of date; it is rebuilt when next looked at.
        self.list_stale.connect(self._review_outdated)
        self.tabs.currentChanged.connect(self._tab_changed)

        self.empty = QLabel()
        self.empty.setObjectName("noClient")
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        host = QWidget()
        hl = QVBoxLayout(host)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addWidget(self.title)
        hl.addWidget(self.tabs, 1)
        self.stack.addWidget(host)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.retranslate()

    def retranslate(self) -> None:
        for page, title in self.pages:
            self.tabs.setTabText(self.tabs.indexOf(page), _(title))
            if hasattr(page, "retranslate"):
                page.retranslate()
        self.empty.setText(_("Choose a client in the list, or search with Ctrl+F."))
        self._show_title()

    def _show_title(self) -> None:
        if self.detail is None:
            review = self.review()  # shown before the rest of the client: name and code
            self.title.setText(
                f"{review.client.name}  ·  {review.client.code}" if review is not None else ""
            )
            return
        c = self.detail.client
        self.title.setText(f"{c.name}  ·  {c.code}  ·  {_(c.tier.label)}")

    def open_client(self, client_id: int | None) -> None:
        if client_id != self.client_id:
            self.history.forget()
        self.client_id = client_id
        if client_id is None:
            self.detail = None
            self.stack.setCurrentWidget(self.empty)
            self._show(None)
            self.review_page.clear()
            return
        # Until this client's data arrives nothing may act on the previous one's: the
        # editing tabs still hold it, so they wait disabled (`_show` enables them).
        self.detail = None
        for page, _title in self.pages:
            if page is not self.review_page:
                page.setEnabled(False)
        self.stack.setCurrentIndex(1)
        self._show_title()
        self.client_changed.emit(client_id)
        self._review_stale = False
        if self.tabs.currentWidget() is self.review_page:
            # What is on screen comes first: the review, and the editing tabs' data only
            # once it is shown, so that the two do not compete for the interpreter.
            self._detail_after_review = client_id
            self.review_page.load(client_id)
        else:
            self._detail_after_review = None
            self.reload()
            self.review_page.load(client_id)

    def review(self):
        """The review on screen, if it is this client's (present mode and the pack use it)."""
        review = self.review_page.review
        if review is None or review.client.id != self.client_id:
            return None
        if not self.review_page.is_chosen(review):  # another date is on its way
            return None
        return review

    def _review_created(self, client_id: int, review_date) -> None:
        if client_id == self.client_id:
            self.review_page.load(client_id, review_date)

    def _review_outdated(self) -> None:
        if self.tabs.currentWidget() is self.review_page:
            self.review_page.refresh()
        else:
            self._review_stale = True

    def _tab_changed(self, _index: int) -> None:
        if self._review_stale and self.tabs.currentWidget() is self.review_page:
            self._review_stale = False
            self.review_page.refresh()

    def _review_shown(self, review) -> None:
        if review.client.id == self.client_id:
            self.insurance.show_gaps(review.insurance, review.currency)
            if self.detail is None:
                self._show_title()
        self._load_deferred_detail()

    def _load_deferred_detail(self, *_args) -> None:
        if self._detail_after_review is not None and self._detail_after_review == self.client_id:
            self._detail_after_review = None
            self.reload()

    def reload_after_conflict(self) -> None:
        """Someone else saved the client meanwhile: show it as saved now; what was edited
        here is discarded, and nothing of it can be undone or redone."""
        self.history.forget()
        self.reload()
        self.review_page.refresh()
        self.list_stale.emit()

    def reload(self) -> None:
        if self.client_id is None:
            return
        self._generation += 1
        generation, client_id = self._generation, self.client_id

        def done(detail: ClientDetail) -> None:
            if generation == self._generation:  # a later choice wins
                self._show(detail)

        def failed(exc):
            if generation == self._generation:
                show_error(self, exc)

        run_in_book(self.ctx, lambda s: load_detail(s, client_id), done, failed)

    def _show(self, detail: ClientDetail | None) -> None:
        self.detail = detail
        client = detail.client if detail else None
        if detail is not None:
            self.stack.setCurrentIndex(1)
        if detail is not None:
            self.profile.set_collected(detail.settings)
            # What the tabs show, at the save counters read: an edit names them.
            self.history.saw_client(detail.client)
        self.profile.show_client(client)
        self.holdings.show_client(client)
        self.insurance.show_client(client)
        self.risk.show_client(
            client,
            detail.settings.assessment_validity_months if detail else None,
            detail.settings.agenda_lookahead_days if detail else None,
        )
        self.documents.show_client(client)
        review = self.review()
        if review is not None and client is not None:  # the review came first: its gaps
            self.insurance.show_gaps(review.insurance, review.currency)
        if self.ctx.book.read_only:
            self.lock_for_reading()
        self._show_title()
        self.loaded.emit(detail)

    def lock_for_reading(self) -> None:
        """A read-only book: the tabs show the client, and nothing in them edits."""
        for page in (self.profile, self.insurance, self.risk):
            lock_for_reading(page)
        self.holdings.lock_for_reading()
        lock_for_reading(self.documents, keep=(self.documents.open_button,))
