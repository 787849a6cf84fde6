"""Risk profile: the questionnaire, scored to C1-C5, saved as a dated assessment."""

from __future__ import annotations

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from reviewdesk.book import benchmarks
from reviewdesk.book.editing import save_assessment
from reviewdesk.book.enums import ClientRiskLevel
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import Client, RiskAssessment
from reviewdesk.gui.benchmarks_dialog import BenchmarkChoiceRow, apply_choice
from reviewdesk.gui.common import FieldMessage, run_in_book, show_error
from reviewdesk.gui.contact_dialog import from_qdate
from reviewdesk.gui.labels import refusal
from reviewdesk.gui.undo import AddRecord, EditHistory
from reviewdesk.i18n import _, ngettext
from reviewdesk.review import questionnaire
from reviewdesk.review.returns import choice_label
from reviewdesk.review.risk_status import AssessmentState, assessment_status
from reviewdesk.settings import load_settings


class RiskTab(QWidget):
    changed = Signal()

    def __init__(self, ctx, parent=None, history: EditHistory | None = None):
        super().__init__(parent)
        self.ctx = ctx
        # The client workspace's one history of edits (a tab on its own keeps its own).
        self.edits = history if history is not None else EditHistory(ctx, self)
        self.client: Client | None = None
        self.validity_months = 12
        self.warn_days = 0

        self.current = QLabel()
        self.current.setObjectName("currentAssessment")
        self.current.setWordWrap(True)
        self.history = QListWidget()
        self.history.setObjectName("assessmentHistory")
        self.status_box = QGroupBox()
        sb = QVBoxLayout(self.status_box)
        sb.addWidget(self.current)
        sb.addWidget(self.history)

        self.form_box = QGroupBox()
        form = QFormLayout(self.form_box)
        self.question_labels: dict[str, QLabel] = {}
        self.answers: dict[str, QComboBox] = {}
        for question in questionnaire.QUESTIONS:
            combo = QComboBox()
            combo.setObjectName(f"question_{question.key}")
            combo.currentIndexChanged.connect(self.update_result)
            label = QLabel()
            label.setWordWrap(True)
            label.setBuddy(combo)
            self.answers[question.key], self.question_labels[question.key] = combo, label
            form.addRow(label, combo)
        self.date_label = QLabel()
        today = ctx.today
        self.date_edit = QDateEdit(QDate(today.year, today.month, today.day))
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.dateChanged.connect(self.update_result)
        self.date_label.setBuddy(self.date_edit)
        form.addRow(self.date_label, self.date_edit)
        self.result = QLabel()
        self.result.setObjectName("questionnaireResult")
        font = self.result.font()
        font.setBold(True)
        self.result.setFont(font)
        form.addRow(self.result)
        self.message = FieldMessage()
        form.addRow(self.message)
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveAssessment")
        self.save_button.clicked.connect(self.save)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_button)
        form.addRow(row)

        # The client's own benchmark (the risk level's is the default; Benchmarks dialog).
        self.benchmark_box = QGroupBox()
        self.benchmark_box.setObjectName("clientBenchmark")
        bench = QVBoxLayout(self.benchmark_box)
        self.benchmark_row = BenchmarkChoiceRow()
        self.benchmark_note = QLabel()
        # The benchmark chosen for each risk level, by label: what "(none)" means here.
        self._level_benchmarks: dict[ClientRiskLevel, str] = {}
        self.benchmark_note.setWordWrap(True)
        self.benchmark_message = FieldMessage()
        self.benchmark_save = QPushButton()
        self.benchmark_save.setObjectName("saveBenchmark")
        self.benchmark_save.clicked.connect(self.save_benchmark)
        bench.addWidget(self.benchmark_row)
        bench.addWidget(self.benchmark_note)
        bench.addWidget(self.benchmark_message)
        bench.addWidget(self.benchmark_save)
        right = QVBoxLayout()
        right.addWidget(self.status_box, 1)
        right.addWidget(self.benchmark_box)

        inner = QWidget()
        columns = QHBoxLayout(inner)
        columns.addWidget(self.form_box, 3)
        columns.addLayout(right, 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.retranslate()

    def retranslate(self) -> None:
        self.status_box.setTitle(_("Current assessment"))
        self.history.setAccessibleName(_("Assessment history"))
        self.form_box.setTitle(_("Questionnaire"))
        self.date_label.setText(_("Assessed on"))
        self.save_button.setText(_("Save assessment"))
        self.benchmark_box.setTitle(_("Benchmark"))
        self.benchmark_save.setText(_("Save benchmark"))
        self.benchmark_row.retranslate()
        for question in questionnaire.QUESTIONS:
            self.question_labels[question.key].setText(_(question.text))
            combo = self.answers[question.key]
            keep = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_("(choose)"), None)
            for choice in question.choices:
                combo.addItem(_(choice.label), choice.key)
            combo.setCurrentIndex(max(combo.findData(keep), 0))
            combo.blockSignals(False)
        self.update_result()
        self._show_status()

    def show_client(
        self,
        client: Client | None,
        validity_months: int | None = None,
        warn_days: int | None = None,
    ) -> None:
        if validity_months:
            self.validity_months = validity_months
        if warn_days is not None:
            self.warn_days = warn_days
        changed_client = client is None or self.client is None or client.id != self.client.id
        self.client = client
        self.setEnabled(client is not None)
        self.message.clear_message()
        if changed_client and client is not None:
            latest = client.assessments[-1] if client.assessments else None
            stored = latest.answers if latest is not None else {}
            for key, combo in self.answers.items():
                combo.setCurrentIndex(max(combo.findData(stored.get(key)), 0))
        self._show_status()
        self.update_result()
        if changed_client and client is not None:
            self._load_benchmark(client.id)

    def _load_benchmark(self, client_id: int) -> None:
        def read(session):
            own = benchmarks.choice_of(session, client_id=client_id)
            names = benchmarks.benchmark_names(session)
            by_level = {
                c.risk_level: choice_label(c.benchmark, c.blend, c.weight)
                for c in benchmarks.choices(session)
                if c.risk_level is not None
            }
            return names, (own.benchmark, own.blend, own.weight) if own else None, by_level

        def show(result) -> None:
            names, own, by_level = result
            if self.client is not None and self.client.id == client_id:
                self.benchmark_row.set_names(names)
                self.benchmark_row.set_choice(own)
                self._level_benchmarks = by_level
                self._show_benchmark_note()

        self.benchmark_message.clear_message()
        run_in_book(self.ctx, read, show, lambda exc: show_error(self, exc))

    def save_benchmark(self) -> None:
        if self.client is None:
            return
        client_id, choice = self.client.id, self.benchmark_row.choice()
        self.benchmark_message.clear_message()

        def work(session) -> None:
            apply_choice(session, choice, client_id=client_id)
            session.commit()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ValidationError):
                self.benchmark_message.show_message(refusal(exc))
            else:
                show_error(self, exc)

        run_in_book(self.ctx, work, lambda _r: self.changed.emit(), failed)

    def _show_benchmark_note(self) -> None:
        """What "(none)" means for this client: the benchmark of the risk level of their
        latest assessment (the one the review sets their returns beside), named."""
        level = self._assessed_level()
        if level is None:
            text = _("(none): the benchmark of the client's risk level, once assessed.")
        elif level in self._level_benchmarks:
            text = _("(none): the benchmark of the client's risk level, {level}: {benchmark}.")
            text = text.format(level=_(level.label), benchmark=self._level_benchmarks[level])
        else:
            text = _(
                "(none): no benchmark, as none is chosen for the client's risk level, {level} "
                "(File → Benchmarks…)."
            ).format(level=_(level.label))
        self.benchmark_note.setText(text)

    def _assessed_level(self) -> ClientRiskLevel | None:
        """The risk level of the client's latest assessment, valid or expired (the review's
        rule, `review.risk_status`), or None."""
        if self.client is None or not self.client.assessments:
            return None
        return assessment_status(
            self.client.assessments, self.ctx.today, self.validity_months, self.warn_days
        ).level

    def _show_status(self) -> None:
        self._show_benchmark_note()
        self.history.clear()
        if self.client is None:
            self.current.setText("")
            return
        if not self.client.assessments:
            self.current.setText(_("No risk assessment yet: answer the questionnaire."))
            return
        status = assessment_status(
            self.client.assessments, self.ctx.today, self.validity_months, self.warn_days
        )
        if status.level is None or status.assessed_on is None or status.valid_until is None:
            # only assessments dated after today
            text = _("No risk assessment yet: answer the questionnaire.")
        else:
            text = _("{level}, assessed {date}, valid until {until}").format(
                level=_(status.level.label),
                date=status.assessed_on.isoformat(),
                until=status.valid_until.isoformat(),
            )
        if status.state is AssessmentState.EXPIRED:
            text += "\n" + _("Expired: the assessment must be redone.")
            self.current.setStyleSheet("color: #b00020;")
        elif status.state is AssessmentState.EXPIRING and status.valid_until is not None:
            text += "\n" + _(
                "The assessment is valid until {date}: plan to redo it by then."
            ).format(date=status.valid_until.isoformat())
            self.current.setStyleSheet("color: #b00020;")
        else:
            self.current.setStyleSheet("")
        self.current.setText(text)
        for a in reversed(self.client.assessments):
            score = "" if a.score is None else f" ({a.score})"
            self.history.addItem(f"{a.assessed_on.isoformat()}  {_(a.level.label)}{score}")

    def answered(self) -> dict[str, str]:
        return {
            key: combo.currentData()
            for key, combo in self.answers.items()
            if combo.currentData() is not None
        }

    def update_result(self, *_args) -> None:
        answers = self.answered()
        missing = len(questionnaire.QUESTIONS) - len(answers)
        self.save_button.setEnabled(missing == 0 and self.client is not None)
        if missing:
            self.result.setText(
                ngettext(
                    "{count} question to answer", "{count} questions to answer", missing
                ).format(count=missing)
            )
            return
        result = questionnaire.score(answers)
        until = questionnaire.valid_until(from_qdate(self.date_edit.date()), self.validity_months)
        text = _("Score {score}: {level}, valid until {until}").format(
            score=result.score, level=_(result.level.label), until=until.isoformat()
        )
        if result.capped:
            text += "\n" + _("No loss accepted: the profile is conservative whatever the score.")
        self.result.setText(text)

    def save(self) -> None:
        if self.client is None:
            return
        answers = self.answered()
        result = questionnaire.score(answers)
        assessed_on = from_qdate(self.date_edit.date())
        client_id = self.client.id
        self.message.clear_message()

        def failed(exc, _undone=False):
            if isinstance(exc, ValidationError):
                self.message.show_message(refusal(exc))
            else:
                show_error(self, exc)

        def work(session):
            months = load_settings(session).assessment_validity_months
            return save_assessment(
                session,
                client_id,
                assessed_on,
                answers,
                result.score,
                result.level,
                questionnaire.valid_until(assessed_on, months),
            )

        self.edits.push(
            AddRecord(
                self.edits,
                RiskAssessment,
                work,
                _("Save the assessment"),
                lambda _undone: self.changed.emit(),
                failed,
            )
        )
