"""The client workspace: one client's tabs, loaded through the book worker."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from reviewdesk.book import versions
from reviewdesk.book.editing import load_client_detail
from reviewdesk.book.models import Client
from reviewdesk.gui.charts_view import charts_loaded
from reviewdesk.gui.common import lock_for_reading, run_in_book, show_error
from reviewdesk.gui.review_page import ReviewPage
from reviewdesk.gui.undo import EditHistory
from reviewdesk.gui.worker import AFTER_VIEW, BackgroundTask, Cancelled, when_idle
from reviewdesk.i18n import N_, _
from reviewdesk.settings import Settings, load_settings

if TYPE_CHECKING:
    from reviewdesk.gui.documents_tab import DocumentsTab
    from reviewdesk.gui.holdings_tab import HoldingsTab
    from reviewdesk.gui.insurance_tab import InsuranceTab
    from reviewdesk.gui.profile_tab import ProfileTab
    from reviewdesk.gui.risk_tab import RiskTab

# The editing tabs: (name, title, module, class). Each is made, and its module imported,
# when first shown or asked for: a launch shows the agenda and a client's review, and
# a switch of client fills only the tabs made so far.
EDITING_TABS = (
    ("profile", N_("Profile and family"), "reviewdesk.gui.profile_tab", "ProfileTab"),
    ("holdings", N_("Holdings"), "reviewdesk.gui.holdings_tab", "HoldingsTab"),
    ("insurance", N_("Insurance"), "reviewdesk.gui.insurance_tab", "InsuranceTab"),
    ("risk", N_("Risk profile"), "reviewdesk.gui.risk_tab", "RiskTab"),
    ("documents", N_("Documents"), "reviewdesk.gui.documents_tab", "DocumentsTab"),
)


@dataclass
class ClientDetail:
    client: Client
    settings: Settings
    # (model, id, save counter) of the client and every record of theirs the tabs show:
    # walked on the book worker, with the read (some 900 records: 10 ms off the UI thread).
    shown_versions: list[tuple[type, int, int]] = field(default_factory=list)


def load_detail(session, client_id: int) -> ClientDetail:
    client = load_client_detail(session, client_id)
    return ClientDetail(client, load_settings(session), versions.shown_versions(client))


class ClientWorkspace(QWidget):
    loaded = Signal(object)  # ClientDetail, after every tab shows it
    list_stale = Signal(int)  # this client's figures in the client list may have changed
    client_changed = Signal(object)  # the client id chosen (None: none), before any data

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.detail: ClientDetail | None = None
        self.client_id: int | None = None
        self._generation = 0
        self._detail_task: BackgroundTask | None = None  # the editing tabs' read on its way

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
        self.review_page = ReviewPage(ctx)
        self.review_page.setObjectName("reviewPage")
        self.review_page.review_shown.connect(self._review_shown)
        self.review_page.charts_shown.connect(self._review_charts_shown)
        self.review_page.load_failed.connect(self._load_deferred_detail)
        self._detail_after_review: int | None = None
        self._review_stale = False
        self._outdated_review = None  # the review on screen before an edit (`_show_gaps`)
        # The tab widget's pages: the review, then each editing tab or, until it is made,
        # an empty stand-in of the same title.
        self.pages: list[tuple[QWidget, str]] = [(self.review_page, N_("Review"))]
        self._made: dict[str, QWidget] = {}
        for _name, title, _module, _cls in EDITING_TABS:
            self.pages.append((QWidget(), title))
        for page, _title in self.pages:
            self.tabs.addTab(page, "")
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

    # the editing tabs, made on first use
    @property
    def profile(self) -> ProfileTab:
        return self._tab("profile")

    @property
    def holdings(self) -> HoldingsTab:
        return self._tab("holdings")

    @property
    def insurance(self) -> InsuranceTab:
        return self._tab("insurance")

    @property
    def risk(self) -> RiskTab:
        return self._tab("risk")

    @property
    def documents(self) -> DocumentsTab:
        return self._tab("documents")

    def made_tabs(self) -> list[str]:
        """The editing tabs made so far, by name."""
        return list(self._made)

    def _tab(self, name: str) -> Any:
        tab = self._made.get(name)
        if tab is None:
            tab = self._make_tab(name)
        return tab

    def _make_tab(self, name: str) -> QWidget:
        index = next(i for i, spec in enumerate(EDITING_TABS, start=1) if spec[0] == name)
        _name, title, module, cls = EDITING_TABS[index - 1]
        tab_class = getattr(importlib.import_module(module), cls)
        ctx = self.ctx
        tab = tab_class(ctx) if name == "documents" else tab_class(ctx, history=self.history)
        self._made[name] = tab
        tab.changed.connect(self.reload)
        tab.changed.connect(self._client_edited)
        if name == "holdings":
            tab.values_changed.connect(self._client_edited)
            # A new review is the chosen one at once: on the review page and for the pack.
            tab.review_created.connect(self._review_created)
        stand_in = self.pages[index][0]
        self.pages[index] = (tab, title)
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        try:
            self.tabs.insertTab(index, tab, _(title))
            self.tabs.removeTab(index + 1)
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(False)
        stand_in.deleteLater()
        if hasattr(tab, "retranslate"):
            tab.retranslate()
        if self.client_id is not None:  # the client on screen, or waiting for their data
            self._fill(name, tab, self.detail)
            if name == "insurance":
                self._show_gaps()
            if self.ctx.book.read_only:
                self._lock_tab(name, tab)
        return tab

    def _fill(self, name: str, tab: Any, detail: ClientDetail | None) -> None:
        client = detail.client if detail else None
        if name == "profile" and detail is not None:
            tab.set_collected(detail.settings)
        if name == "risk":
            tab.show_client(
                client,
                detail.settings.assessment_validity_months if detail else None,
                detail.settings.agenda_lookahead_days if detail else None,
            )
        else:
            tab.show_client(client)

    def _lock_tab(self, name: str, tab: Any) -> None:
        if name == "holdings":
            tab.lock_for_reading()
        elif name == "documents":
            lock_for_reading(tab, keep=(tab.open_button,))
        else:
            lock_for_reading(tab)

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
        # editing tabs still hold it, so they wait disabled (`_show` enables them). The
        # previous client's tabs' data, if still to be read, is no longer wanted.
        self._drop_detail_read()
        self.detail = None
        for page, _title in self.pages:
            if page is not self.review_page:
                page.setEnabled(False)
        self.stack.setCurrentIndex(1)
        self._show_title()
        self._review_stale = False
        if self.tabs.currentWidget() is self.review_page:
            # What is on screen comes first: the review and its charts, and the editing
            # tabs' data only once they are drawn, so that the two do not compete for the
            # interpreter (a tab chosen before then loads it at once).
            self._detail_after_review = client_id
            self.review_page.load(client_id)
        else:
            self._detail_after_review = None
            self.reload()
            self.review_page.load(client_id)
        # After the reads are asked for: what follows the choice (the access recorded)
        # queues behind them on the book worker.
        self.client_changed.emit(client_id)

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

    def _client_edited(self, *_args) -> None:
        if self.client_id is not None:
            self.list_stale.emit(self.client_id)

    def _review_outdated(self, _client_id: int) -> None:
        # The insurance tab's gaps were this review's: the old figures, or after a change
        # of family another person's, until the review is made again.
        self._outdated_review = self.review_page.review
        self._show_gaps()
        if self.tabs.currentWidget() in (self.review_page, self._made.get("insurance")):
            self.review_page.refresh()
        else:
            self._review_stale = True

    def _show_gaps(self) -> None:
        """The review's insurance needs and gaps on the insurance tab, if it is made; none
        while the review on screen is not this client's or predates an edit."""
        insurance = self._made.get("insurance")
        if insurance is None:
            return
        review = self.review()
        if review is None or review is self._outdated_review:
            insurance.show_gaps(None, "")  # type: ignore[attr-defined]
        else:
            insurance.show_gaps(review.insurance, review.currency)  # type: ignore[attr-defined]

    def _tab_changed(self, index: int) -> None:
        if 1 <= index < len(self.pages) and self.pages[index][0] not in self._made.values():
            self._make_tab(EDITING_TABS[index - 1][0])
        if self.tabs.currentWidget() is not self.review_page:
            self._load_deferred_detail()
        if self._review_stale and self.tabs.currentWidget() in (
            self.review_page,
            self._made.get("insurance"),
        ):
            self._review_stale = False
            self.review_page.refresh()

    def _review_shown(self, review) -> None:
        if review.client.id == self.client_id:
            if review is not self._outdated_review:
                self._outdated_review = None
            self._show_gaps()
            if self.detail is None:
                self._show_title()
        if not charts_loaded():
            # The first charts wait for their library to load: the tabs need not.
            self._load_deferred_detail()

    def _load_deferred_detail(self, *_args) -> None:
        if self._detail_after_review is not None and self._detail_after_review == self.client_id:
            self._detail_after_review = None
            # Nothing on screen waits for it: any read or write asked for meanwhile (the
            # next client's review) goes first.
            self.reload(AFTER_VIEW)

    def _review_charts_shown(self, _review) -> None:
        """The review's charts are placed: the editing tabs' data is read once they are
        painted too (the read would compete with the painting for the interpreter),
        unless another client or a tab asked for meanwhile took its place."""
        client_id = self._detail_after_review
        if client_id is None:
            return

        def later() -> None:
            if shiboken6.isValid(self) and self._detail_after_review == client_id:
                self._load_deferred_detail()

        when_idle(later)

    def _drop_detail_read(self) -> None:
        """The editing tabs' read on its way is not wanted: it is skipped if it has not
        started, and its result dropped if it has."""
        if self._detail_task is not None:
            self._generation += 1
            self._detail_task.cancel()
            self._detail_task = None

    def reload_after_conflict(self) -> None:
        """Someone else saved the client meanwhile: show it as saved now; what was edited
        here is discarded, and nothing of it can be undone or redone."""
        self.history.forget()
        self.reload()
        self.review_page.refresh()
        self._client_edited()

    def reload(self, priority: int = 0) -> None:
        """Read the client's data again for the editing tabs (`priority`: see
        `BackgroundTask.run_on`); a later reload or another client supersedes it."""
        if self.client_id is None:
            return
        self._drop_detail_read()
        self._generation += 1
        generation, client_id = self._generation, self.client_id

        def done(detail: ClientDetail) -> None:
            # a later choice wins; a workspace closed meanwhile shows nothing
            if generation == self._generation and shiboken6.isValid(self):
                self._detail_task = None
                self._show(detail)

        def failed(exc):
            if isinstance(exc, Cancelled):
                return
            if generation == self._generation and shiboken6.isValid(self):
                self._detail_task = None
                show_error(self, exc)

        self._detail_task = run_in_book(
            self.ctx, lambda s: load_detail(s, client_id), done, failed, priority
        )

    def _show(self, detail: ClientDetail | None) -> None:
        self.detail = detail
        client = detail.client if detail else None
        if detail is not None:
            self.stack.setCurrentIndex(1)
        if detail is not None:
            # What the tabs show, at the save counters read: an edit names them.
            self.history.saw_versions(detail.shown_versions)
        for name, tab in self._made.items():
            self._fill(name, tab, detail)
        if client is not None:
            self._show_gaps()  # the review came first: its gaps
        if self.ctx.book.read_only:
            self.lock_for_reading()
        self._show_title()
        self.loaded.emit(detail)

    def lock_for_reading(self) -> None:
        """A read-only book: the tabs show the client, and nothing in them edits."""
        for name, tab in self._made.items():
            self._lock_tab(name, tab)
