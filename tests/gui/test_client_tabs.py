"""Insurance, risk profile and documents tabs, used as a manager uses them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from reviewdesk import paths
from reviewdesk.book.enums import ClientRiskLevel
from reviewdesk.book.models import Document, InsurancePolicy, RiskAssessment
from tests.gui.conftest import book_dump, open_client


def test_answering_the_questionnaire_saves_a_dated_assessment(qtbot, window, ctx):
    client = open_client(qtbot, window, window.model.rows[0].summary.name)
    risk = window.workspace.risk
    window.workspace.tabs.setCurrentWidget(risk)
    for combo in risk.answers.values():
        combo.setCurrentIndex(combo.count() - 1)  # the boldest answer to each
    risk.answers["loss"].setCurrentIndex(risk.answers["loss"].findData("15"))
    assert "C" in risk.result.text()
    assert risk.save_button.isEnabled()
    qtbot.mouseClick(risk.save_button, Qt.MouseButton.LeftButton)

    def saved():
        with ctx.book.session() as s:
            return s.scalar(
                select(RiskAssessment).where(
                    RiskAssessment.client_id == client.id, RiskAssessment.assessed_on == ctx.today
                )
            )

    qtbot.waitUntil(lambda: saved() is not None, timeout=5000)
    assessment = saved()
    assert assessment.answers["loss"] == "15"
    assert assessment.level in (ClientRiskLevel.C4, ClientRiskLevel.C5)
    assert assessment.valid_until.year == ctx.today.year + 1
    qtbot.waitUntil(lambda: ctx.today.isoformat() in risk.current.text(), timeout=5000)


def test_an_unanswered_questionnaire_cannot_be_saved(qtbot, window):
    open_client(qtbot, window, window.model.rows[0].summary.name)
    risk = window.workspace.risk
    risk.answers["horizon"].setCurrentIndex(0)
    assert not risk.save_button.isEnabled()


def test_attaching_opening_and_removing_a_document(qtbot, window, ctx, tmp_path, monkeypatch):
    client = open_client(qtbot, window, window.model.rows[0].summary.name)
    docs = window.workspace.documents
    source = tmp_path / "保险建议书.pdf"
    source.write_bytes(b"%PDF-1.4 proposal")
    docs.attach([source])
    qtbot.waitUntil(lambda: docs.list.topLevelItemCount() == 1, timeout=5000)
    with ctx.book.session() as s:
        doc = s.scalar(select(Document).where(Document.client_id == client.id))
        assert doc.sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
        assert doc.size_bytes == source.stat().st_size
        stored = doc.stored_path
    on_disk = paths.documents_dir() / stored
    assert source.read_bytes() not in on_disk.read_bytes()  # the book is encrypted: so is it

    opened = []
    monkeypatch.setattr(
        "reviewdesk.gui.documents_tab.QDesktopServices.openUrl",
        lambda url: opened.append(url.toLocalFile()) or True,
    )
    docs.list.setCurrentItem(docs.list.topLevelItem(0))
    qtbot.mouseClick(docs.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=5000)
    assert Path(opened[0]).read_bytes() == source.read_bytes()  # a decrypted private copy
    assert Path(opened[0]).name == source.name

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    before = book_dump(ctx.book)
    qtbot.mouseClick(docs.remove_button, Qt.MouseButton.LeftButton)
    assert book_dump(ctx.book) == before  # asked first, and the answer was no
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(docs.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: docs.list.topLevelItemCount() == 0, timeout=5000)
    assert source.exists()  # the user's own file is never touched
    assert not on_disk.exists()


def test_policies_are_shown_per_insured_person_and_edited(qtbot, window, ctx):
    with ctx.book.session() as s:
        name, count = s.execute(
            select(InsurancePolicy.client_id, func.count())
            .where(InsurancePolicy.insured_member_id.is_(None))
            .group_by(InsurancePolicy.client_id)
        ).first()
        from reviewdesk.book.models import Client

        name = s.get(Client, name).name
    open_client(qtbot, window, name)
    tab = window.workspace.insurance
    window.workspace.tabs.setCurrentWidget(tab)
    tab.people.setCurrentRow(0)
    assert len(tab.policies.rows) == count
    policy = tab.policies.rows[0]
    column = [c.field for c in tab.policies.columns].index("sum_assured")
    index = tab.policies.index(0, column)
    assert not tab.policies.setData(index, "-1")
    assert "Sum assured" in tab.message.text()
    assert tab.policies.setData(index, "2500000")

    def stored():
        with ctx.book.session() as s:
            return s.get(InsurancePolicy, policy["id"]).sum_assured

    qtbot.waitUntil(lambda: stored() == 2_500_000, timeout=5000)


def test_the_risk_tab_states_expiry_by_the_validity_setting(qtbot, ctx):
    from reviewdesk.book.models import Client
    from reviewdesk.gui.risk_tab import RiskTab
    from reviewdesk.review.cadence import add_months

    tab = RiskTab(ctx)
    qtbot.addWidget(tab)
    assessed = add_months(ctx.today, -8)
    client = Client(
        code="RT1",
        name="测试",
        assessments=[
            RiskAssessment(
                assessed_on=assessed,
                level=ClientRiskLevel.C4,
                valid_until=add_months(assessed, 12),
                answers={},
            )
        ],
    )
    client.id = 990001
    tab.show_client(client, 12, 0)
    assert add_months(assessed, 12).isoformat() in tab.current.text()
    assert "Expired" not in tab.current.text()
    tab.show_client(client, 6, 0)  # the book's validity is 6 months: lapsed 2 months ago
    assert add_months(assessed, 6).isoformat() in tab.current.text()
    assert "Expired: the assessment must be redone." in tab.current.text()


def _gap_rows(tab) -> list[tuple[str, ...]]:
    return [
        tuple(tab.gaps.topLevelItem(i).text(c) for c in range(4))
        for i in range(tab.gaps.topLevelItemCount())
    ]


def test_a_persons_gaps_are_theirs_after_the_family_changes(qtbot, window, ctx):
    """Found: the gaps beside the policies were the review's people taken by their place in
    the list. With the spouse removed and the review not yet made again, choosing the son
    showed the spouse's covers; and after a policy was added, the old gaps stayed."""
    from reviewdesk.book.models import Client, FamilyMember

    with ctx.book.session() as s:
        client_id = s.scalar(
            select(FamilyMember.client_id)
            .group_by(FamilyMember.client_id)
            .having(func.count() >= 2)
            .order_by(FamilyMember.client_id)
        )
        name = s.get(Client, client_id).name
    open_client(qtbot, window, name)
    workspace = window.workspace
    tab = workspace.insurance
    workspace.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.insurance is not None, timeout=5000)
    old = tab.insurance
    first, last = workspace.detail.client.family[0], workspace.detail.client.family[-1]
    tab.people.setCurrentRow(tab.people.count() - 1)
    theirs = _gap_rows(tab)
    assert tab.person() == last.id

    # The spouse (the first member) removed, as the profile tab removes one.
    with ctx.book.session() as s:
        s.delete(s.get(FamilyMember, first.id))
    workspace.reload()
    workspace.list_stale.emit(client_id)  # what a save says
    # Until the review is made again, no gaps: they were the review's before the edit.
    assert tab.gaps.topLevelItemCount() == 0
    assert "once the review is built" in tab.gaps_note.text()
    qtbot.waitUntil(lambda: tab.insurance is not None and tab.insurance is not old, timeout=5000)
    qtbot.waitUntil(lambda: tab.people.count() == len(old.people) - 1, timeout=5000)
    tab.people.setCurrentRow(tab.people.count() - 1)
    assert tab.person() == last.id
    assert _gap_rows(tab) == theirs  # the son's, in the review made again
    assert tab.insurance.person(first.id) is None

    # And with the review of before and the family of now (the tab's own lookup): the
    # son's covers, by who he is, not the spouse's by her place in the list.
    tab.show_gaps(old, workspace.review().currency)
    tab.people.setCurrentRow(tab.people.count() - 1)
    assert _gap_rows(tab) == theirs
    spouse = old.person(first.id)
    assert spouse is not None and old.people.index(spouse) == 1
