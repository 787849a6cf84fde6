"""Logging or editing one contact with a client, with the client's feedback."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QWidget,
)

from reviewdesk.book.contacts import delete_contact, log_contact, update_contact
from reviewdesk.book.enums import Channel, FeedbackTopic
from reviewdesk.book.errors import BookError, ValidationError
from reviewdesk.book.fields import FIELD_LABELS
from reviewdesk.book.models import Contact
from reviewdesk.book.versions import EditConflict
from reviewdesk.gui.common import offer_reload
from reviewdesk.gui.forms import setup_form
from reviewdesk.gui.worker import BackgroundTask, book_worker
from reviewdesk.i18n import _


def run_in_book(
    ctx,
    fn: Callable[[Any], Any],
    success: Callable[[Any], None],
    failure: Callable[[BaseException], None],
) -> BackgroundTask:
    """`fn(session)` as one unit of work on the book worker; callbacks on the UI thread."""

    def work(token):
        token.check()
        with ctx.book.session() as session:
            return fn(session)

    return BackgroundTask(work).success(success).failure(failure).run_on(book_worker())


def error_text(exc: BaseException) -> str:
    return exc.message() if isinstance(exc, BookError) else f"{_('Unexpected error')}: {exc}"


def refusal_text(exc: BaseException) -> str:
    """A refused contact names the field as the form labels it, in the interface language."""
    if isinstance(exc, ValidationError) and exc.record == "Contact" and exc.field in FIELD_LABELS:
        return _("{field}: {reason}").format(
            field=_(FIELD_LABELS[exc.field]), reason=exc.reason_in()
        )
    return error_text(exc)


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class ContactDialog(QDialog):
    """A new contact on a given day, or an existing one (`contact_id`) to change or delete.

    The book is written on the worker; the dialog closes only once the book
    accepted the contact, and a refusal is shown in the dialog, nothing typed lost.
    """

    saved = Signal(int)  # the client's id
    deleted = Signal(int)

    def __init__(
        self,
        ctx,
        client_id: int,
        client_name: str,
        day: dt.date | None = None,
        contact_id: int | None = None,
        channel: Channel | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("contactDialog")
        self.ctx = ctx
        self.client_id = client_id
        self.client_name = client_name
        self.contact_id = contact_id
        # The contact's save counter as the form shows it: a save or delete names it, and
        # one over someone else's change since is refused.
        self.read_version: int | None = None
        self._busy = False
        self._context: tuple[str | None, str | None] = (None, None)

        self.ui = setup_form("contact_dialog", self)
        self.heading = self.ui.contactHeading
        self.channel = self.ui.channel
        for ch in Channel:
            self.channel.addItem("", ch)
        self.date = self.ui.contactDate
        self.date.setMaximumDate(to_qdate(ctx.today))
        self.date.setDate(to_qdate(day or ctx.today))
        self.summary = self.ui.summary
        self.shared = self.ui.shareNote
        self.next_step = self.ui.nextStep
        self.next_step_shared = self.ui.shareNextStep
        # A date edit cannot be empty: a check box says whether the date is set.
        self.has_due = self.ui.hasDue
        self.due_on = self.ui.nextStepDue
        self.due_on.setDate(to_qdate((day or ctx.today) + dt.timedelta(days=14)))
        self.is_done = self.ui.nextStepDone
        self.done_on = self.ui.nextStepDoneOn
        self.done_on.setDate(to_qdate(ctx.today))
        self.done_on.setMaximumDate(to_qdate(ctx.today))
        self.has_due.toggled.connect(self.due_on.setEnabled)
        self.is_done.toggled.connect(self.done_on.setEnabled)
        self.due_on.setEnabled(False)
        self.done_on.setEnabled(False)
        self.feedback = self.ui.feedback
        self.topic = self.ui.feedbackTopic
        self.topic.addItem("", None)
        for topic in FeedbackTopic:
            self.topic.addItem("", topic)
        self.message = self.ui.contactMessage
        self.message.hide()
        self.form = self.ui.contactForm
        # The labels name the fields as the book's refusals do (FIELD_LABELS).
        self.labels = [
            self.ui.channelLabel,
            self.ui.contactDateLabel,
            self.ui.summaryLabel,
            self.ui.nextStepLabel,
            self.ui.nextStepDueLabel,
            self.ui.nextStepDoneLabel,
            self.ui.feedbackLabel,
            self.ui.feedbackTopicLabel,
        ]
        self.buttons = self.ui.contactButtons
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        # A button of the button box, there only for a contact that exists.
        self.delete_button = QPushButton()
        self.delete_button.setObjectName("deleteContact")
        self.delete_button.clicked.connect(self.delete)
        if contact_id is not None:
            self.buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        else:
            self.delete_button.hide()
        if channel is not None:
            self.set_channel(channel)
        self.retranslate()
        self.resize(440, self.sizeHint().height())
        if contact_id is not None:
            self._load()

    def _load(self) -> None:
        contact_id = self.contact_id
        if contact_id is None:
            return
        self._set_busy(True)
        run_in_book(self.ctx, lambda s: _contact_values(s, contact_id), self._loaded, self._failed)

    def reload_after_conflict(self) -> None:
        """Someone else saved or deleted the contact meanwhile: the form shows it as saved
        now (what was typed here is discarded, as the refusal said)."""
        self._load()

    def retranslate(self) -> None:
        self.ui.retranslateUi(self)
        editing = self.contact_id is not None
        self.setWindowTitle(_("Edit contact") if editing else _("Log a contact"))
        self._show_heading()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        for i, ch in enumerate(Channel):
            self.channel.setItemText(i, f"{ch.value}  {_(ch.label)}")
        self.topic.setItemText(0, "—")
        for i, topic in enumerate(FeedbackTopic, start=1):
            self.topic.setItemText(i, _(topic.label))
        self.delete_button.setText(_("Delete"))

    def set_context(self, reason: str | None, preferences: str | None) -> None:
        """Why the contact is due and how the client likes to be reached, under the name."""
        self._context = (reason, preferences)
        self._show_heading()

    def _show_heading(self) -> None:
        reason, preferences = self._context
        parts = [f"<b>{html.escape(self.client_name)}</b>"]
        if reason:
            parts.append(f"<span style='color:#555555'>{html.escape(reason)}</span>")
        if preferences:
            parts.append(f"<span style='color:#8a5a00'>{html.escape(preferences)}</span>")
        self.heading.setText("<br>".join(parts))

    def set_channel(self, channel: Channel) -> None:
        self.channel.setCurrentIndex(self.channel.findData(channel))

    def values(self) -> dict:
        return {
            "channel": Channel(self.channel.currentData()),
            "day": from_qdate(self.date.date()),
            "summary": self.summary.toPlainText(),
            "next_step": self.next_step.text(),
            "feedback": self.feedback.toPlainText(),
            "topic": FeedbackTopic(topic) if (topic := self.topic.currentData()) else None,
            "shared": self.shared.isChecked(),
            "next_step_shared": self.next_step_shared.isChecked(),
            "next_step_due": from_qdate(self.due_on.date()) if self.has_due.isChecked() else None,
            "next_step_done": from_qdate(self.done_on.date()) if self.is_done.isChecked() else None,
        }

    def save(self) -> None:
        if self._busy:
            return
        values = self.values()
        today = self.ctx.today
        contact_id, client_id = self.contact_id, self.client_id
        read_version = self.read_version
        if contact_id is None:

            def work(session):
                log_contact(session, client_id, today=today, **values)
        else:

            def work(session):
                update_contact(
                    session, contact_id, today=today, read_version=read_version, **values
                )

        self._set_busy(True)
        run_in_book(self.ctx, work, self._saved, self._failed)

    def delete(self) -> None:
        if self._busy or self.contact_id is None:
            return
        contact_id, read_version = self.contact_id, self.read_version
        self._set_busy(True)
        run_in_book(
            self.ctx,
            lambda s: delete_contact(s, contact_id, read_version),
            self._deleted,
            self._failed,
        )

    def _loaded(self, values: dict) -> None:
        self._set_busy(False)
        self.read_version = values["version"]
        self.set_channel(values["channel"])
        self.date.setDate(to_qdate(values["day"]))
        self.summary.setPlainText(values["summary"] or "")
        self.next_step.setText(values["next_step"] or "")
        self.feedback.setPlainText(values["feedback"] or "")
        self.topic.setCurrentIndex(self.topic.findData(values["topic"]))
        self.shared.setChecked(values["shared"])
        self.next_step_shared.setChecked(values["next_step_shared"])
        self.has_due.setChecked(values["next_step_due"] is not None)
        if values["next_step_due"] is not None:
            self.due_on.setDate(to_qdate(values["next_step_due"]))
        self.is_done.setChecked(values["next_step_done"] is not None)
        if values["next_step_done"] is not None:
            self.done_on.setDate(to_qdate(values["next_step_done"]))

    def _saved(self, _result) -> None:
        self._set_busy(False)
        self.saved.emit(self.client_id)
        self.accept()

    def _deleted(self, _result) -> None:
        self._set_busy(False)
        self.deleted.emit(self.client_id)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.message.setText(refusal_text(exc))
        self.message.show()
        if isinstance(exc, EditConflict):  # who changed it and when, and the reload offer
            offer_reload(self, exc)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.buttons.setEnabled(not busy)
        if busy:
            self.message.hide()
        self.setCursor(Qt.CursorShape.BusyCursor if busy else Qt.CursorShape.ArrowCursor)


def _contact_values(session, contact_id: int) -> dict:
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise BookError(f"contact {contact_id}: no such contact")
    return {
        "channel": contact.channel,
        "day": contact.contact_date,
        "summary": contact.summary,
        "next_step": contact.next_step,
        "feedback": contact.feedback,
        "topic": contact.feedback_topic,
        "shared": contact.shared,
        "next_step_shared": contact.next_step_shared,
        "next_step_due": contact.next_step_due,
        "next_step_done": contact.next_step_done,
        "version": contact.version,
    }
