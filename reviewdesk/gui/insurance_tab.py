"""Insurance: the policies of each insured person (the client and each family member)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reviewdesk.book.editing import add_record
from reviewdesk.book.enums import PolicyKind
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import Client, InsurancePolicy
from reviewdesk.gui.common import FieldMessage, show_error
from reviewdesk.gui.labels import refusal
from reviewdesk.gui.tables import Column, RecordDelegate, RecordTableModel
from reviewdesk.gui.undo import AddRecord, CellEdit, EditHistory, RemoveRecord
from reviewdesk.i18n import _, current_language, ngettext, pgettext
from reviewdesk.money import format_money
from reviewdesk.review.insurance_text import gap_text, left_out_sentences, rules_sentences
from reviewdesk.review.model import PolicyTerms, policies_in_force

POLICY_COLUMNS = [
    Column("kind", "enum", PolicyKind),
    Column("insurer"),
    Column("policy_number", "masked"),
    Column("sum_assured", "amount"),
    Column("annual_premium", "amount"),
    Column("payment_years", "int"),
    Column("start_date", "date"),
    Column("end_date", "date"),
    Column("currency", "currency"),
]
POLICY_FIELDS = [c.field for c in POLICY_COLUMNS]
CLIENT_KEY = 0  # the client as the insured person (insured_member_id is None)
TERMS = ("currency", "sum_assured", "annual_premium", "payment_years", "start_date", "end_date")


class InsuranceTab(QWidget):
    changed = Signal()

    def __init__(self, ctx, parent=None, history: EditHistory | None = None):
        super().__init__(parent)
        self.ctx = ctx
        # The client workspace's one history of edits (a tab on its own keeps its own).
        self.history = history if history is not None else EditHistory(ctx, self)
        self.client: Client | None = None
        self.people = QListWidget()
        self.people.setObjectName("insuredPeople")
        self.people.setWordWrap(True)  # a name and a role, whole in a narrow pane
        self.people.currentRowChanged.connect(lambda _row: self._show_person())
        self.people_box = QGroupBox()
        QVBoxLayout(self.people_box).addWidget(self.people)

        self.policies = RecordTableModel(InsurancePolicy, "Insurance policy", POLICY_COLUMNS, self)
        self.policies.edit_requested.connect(self._save_field)
        self.message = FieldMessage()
        self.policies.refused.connect(lambda _f, text: self.message.show_message(text))
        self.view = QTableView()
        self.view.setObjectName("policiesTable")
        self.view.setModel(self.policies)
        self.view.setItemDelegate(RecordDelegate(POLICY_COLUMNS, self.view))
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel()
        self.summary.setObjectName("insuranceSummary")
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_policy)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove_policy)
        # The totals wrap on a line of their own: beside the buttons they set a wide minimum.
        self.summary.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        self.policies_box = QGroupBox()
        pb = QVBoxLayout(self.policies_box)
        pb.addWidget(self.view)
        pb.addWidget(self.message)
        pb.addWidget(self.summary)
        pb.addLayout(buttons)

        self.insurance = None  # the review's insurance needs and gaps, once built
        self.currency = ""
        self.gaps = QTreeWidget()
        self.gaps.setObjectName("insuranceGaps")
        self.gaps.setRootIsDecorated(False)
        self.gaps.setColumnCount(4)
        # The cover's name takes what is left; the three amounts are always whole.
        gaps_header = self.gaps.header()
        gaps_header.setStretchLastSection(False)
        gaps_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            gaps_header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.gaps_note = QLabel()
        self.gaps_note.setObjectName("insuranceGapsNote")
        self.gaps_note.setWordWrap(True)
        self.gaps_note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.gaps_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        note_scroll = QScrollArea()
        note_scroll.setObjectName("insuranceGapsNoteScroll")
        note_scroll.setWidgetResizable(True)
        note_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        note_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        note_scroll.setWidget(self.gaps_note)
        self.gaps_box = QGroupBox()
        gb = QHBoxLayout(self.gaps_box)
        gb.addWidget(self.gaps, 3)
        gb.addWidget(note_scroll, 2)

        # The needs and gaps under the policies, as wide as they are: a third column beside
        # them left the need and the gap behind a scroll bar even in a wide window.
        right = QSplitter(Qt.Orientation.Vertical)
        right.setObjectName("insuranceRightSplitter")
        right.addWidget(self.policies_box)
        right.addWidget(self.gaps_box)
        right.setCollapsible(0, False)
        right.setCollapsible(1, False)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("insuranceSplitter")
        split.addWidget(self.people_box)
        split.addWidget(right)
        split.setCollapsible(0, False)
        split.setCollapsible(1, False)
        split.setStretchFactor(1, 1)
        split.setSizes([200, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.retranslate()

    def retranslate(self) -> None:
        self.people_box.setTitle(_("Insured people"))
        self.policies_box.setTitle(_("Policies"))
        self.add_button.setText(_("Add policy"))
        self.remove_button.setText(_("Remove policy"))
        self.policies.retranslate()
        self.gaps_box.setTitle(_("Needs and gaps"))
        self.people.setAccessibleName(_("Insured people"))
        self.view.setAccessibleName(_("Policies"))
        self.gaps.setAccessibleName(_("Needs and gaps"))
        self.gaps.setHeaderLabels([_("Cover"), _("Held"), _("Need"), _("Gap")])
        if self.client is not None:
            self._fill_people(self.client)

    def _fill_people(self, client: Client) -> None:
        keep = self.people.currentRow()
        self.people.blockSignals(True)
        self.people.clear()
        people = [(CLIENT_KEY, client.name, pgettext("insured", "Client"))] + [
            (m.id, m.name, _(m.relation.label)) for m in client.family
        ]
        for key, name, role in people:
            count = sum(1 for p in client.policies if (p.insured_member_id or CLIENT_KEY) == key)
            text = ngettext(
                "{name} ({role}): {count} policy", "{name} ({role}): {count} policies", count
            )
            item = QListWidgetItem(text.format(name=name, role=role, count=count))
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.people.addItem(item)
        self.people.setCurrentRow(min(max(keep, 0), self.people.count() - 1))
        self.people.blockSignals(False)
        self._show_person()

    def show_client(self, client: Client | None) -> None:
        same = self.client is not None and client is not None and self.client.id == client.id
        self.client = client
        self.message.clear_message()
        self.setEnabled(client is not None)
        if not same:
            self.people.setCurrentRow(0)
            self.insurance = None
        if client is None:
            self.people.clear()
            self.policies.set_rows([])
            return
        self._fill_people(client)

    def person(self) -> int:
        item = self.people.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else CLIENT_KEY

    def _show_person(self) -> None:
        if self.client is None:
            return
        key = self.person()
        rows = [
            {"id": p.id, **{f: getattr(p, f) for f in POLICY_FIELDS}}
            for p in self.client.policies
            if (p.insured_member_id or CLIENT_KEY) == key
        ]
        self.policies.set_rows(rows)
        self._update_summary()
        self._show_person_gaps()

    def show_gaps(self, insurance, currency: str) -> None:
        """The review's needs and gaps (the rules of thumb in Settings) beside the policies;
        `currency`: the review's report currency, which the amounts are in."""
        self.insurance = insurance
        self.currency = currency
        self._show_person_gaps()

    def _show_person_gaps(self) -> None:
        self.gaps.clear()
        key = self.person()
        person = None
        if self.insurance is not None and self.people.currentItem() is not None:
            # By who the person is, not where they are in the list: a family member added
            # or removed since the review was made moves the others.
            person = self.insurance.person(None if key == CLIENT_KEY else key)
        if person is None:
            self.gaps_note.setText(_("The gaps appear once the review is built."))
            return
        lang = current_language()

        def money(value):
            return "—" if value is None else format_money(value, self.currency, lang, code=False)

        for cover in person.covers:
            item = QTreeWidgetItem(
                [
                    _(cover.kind.label),
                    money(cover.cover),
                    money(cover.need),
                    gap_text(cover, money, lang),
                ]
            )
            for col in (1, 2, 3):
                item.setTextAlignment(col, Qt.AlignmentFlag.AlignRight)
            if cover.gap:
                item.setForeground(3, QBrush(QColor("#b00020")))
            self.gaps.addTopLevelItem(item)
        lines = [
            _("Amounts in {currency}; policies in force on the review date.").format(
                currency=self.currency
            )
        ]
        lines += left_out_sentences(self.insurance, self.currency, lang)
        if self.insurance.premiums_over_limit:
            lines.append(
                _("Premiums {premiums} are above {limit} a year.").format(
                    premiums=money(self.insurance.total_premiums),
                    limit=money(self.insurance.premium_limit),
                )
            )
        lines += ["• " + line for line in rules_sentences(self.insurance, lang)]
        note = "\n".join(lines)
        self.gaps_note.setText(note)

    def _update_summary(self) -> None:
        """What the person's policies in force today add up to, per currency, by the
        review's rules (`policies_in_force`)."""
        lang = current_language()
        totals = policies_in_force(
            (PolicyTerms(**{f: row[f] for f in TERMS}) for row in self.policies.rows),
            self.ctx.today,
        )
        not_in_force = totals.not_in_force
        # With a premium not on record the premiums added up are those on record, and the
        # number not on record is said (`PoliciesInForce.unrecorded_premiums`).
        each = (
            _("sum assured {cover}, premiums on record {premium} a year")
            if totals.unrecorded_premiums
            else _("sum assured {cover}, premiums {premium} a year")
        )
        parts = [
            each.format(
                cover=format_money(cover, cur or None, lang, code=bool(cur)),
                premium=format_money(premium, cur or None, lang, code=bool(cur)),
            )
            for cur, cover, premium in totals.by_currency
        ]
        if not self.policies.rows:
            text = _("No policy")
        elif not parts:
            text = _("No policy in force today")
        else:
            text = _("In force today: {totals}").format(totals="; ".join(parts))
        if totals.unrecorded_premiums:
            text += " · " + ngettext(
                "the premium of {count} policy is not on record",
                "the premiums of {count} policies are not on record",
                totals.unrecorded_premiums,
            ).format(count=totals.unrecorded_premiums)
        if not_in_force:
            text += " · " + ngettext(
                "{count} policy not in force today (lapsed or not yet started)",
                "{count} policies not in force today (lapsed or not yet started)",
                not_in_force,
            ).format(count=not_in_force)
        self.summary.setText(text)

    def _save_field(self, policy_id: int, field: str, old, new) -> None:
        self.message.clear_message()

        def failed(exc: BaseException) -> None:
            self._update_summary()
            self._failed(exc)

        self.history.push(
            CellEdit(
                self.history,
                self.policies,
                policy_id,
                field,
                old,
                new,
                lambda _undone: self.changed.emit(),
                failed,
            )
        )
        self._update_summary()

    def _command(self, command) -> None:
        self.message.clear_message()
        command.done = lambda _undone: self.changed.emit()
        command.on_failure = lambda exc, _undone: self._failed(exc)
        self.history.push(command)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self.message.show_message(refusal(exc))
        else:
            show_error(self, exc)

    def add_policy(self) -> None:
        if self.client is None:
            return
        key = self.person()
        values = {
            "client_id": self.client.id,
            "insured_member_id": key or None,
            "kind": PolicyKind.LIFE,
            "sum_assured": 0,
            "currency": self.client.report_currency,
        }
        self._command(
            AddRecord(
                self.history,
                InsurancePolicy,
                lambda s: add_record(s, InsurancePolicy, values),
                _("Add policy"),
            )
        )

    def remove_policy(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            return
        row = self.policies.rows[index.row()]
        answer = QMessageBox.question(
            self,
            _("Remove policy"),
            _("Remove the {kind} policy {number}?").format(
                kind=_(row["kind"].label), number=row["policy_number"] or ""
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._command(
                RemoveRecord(self.history, InsurancePolicy, row["id"], _("Remove policy"))
            )
