"""Removing a family member from the profile tab: never while a policy names them."""

from __future__ import annotations

from decimal import Decimal as D

from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from reviewdesk.book.enums import PolicyKind, Relation
from reviewdesk.book.models import Client, FamilyMember, InsurancePolicy
from reviewdesk.gui.worker import book_worker
from tests.gui.conftest import open_client


def _settle(qtbot) -> None:
    from PySide6.QtWidgets import QApplication

    for _round in range(3):
        book_worker().waitForDone(10_000)
        QApplication.processEvents()
    qtbot.wait(50)


def _policies_of(ctx, member_id: int) -> int:
    with ctx.book.session() as s:
        return s.scalar(
            select(func.count())
            .select_from(InsurancePolicy)
            .where(InsurancePolicy.insured_member_id == member_id)
        )


def test_a_member_a_policy_names_is_not_removed_and_the_dialog_says_why(
    qtbot, window, ctx, monkeypatch
):
    """Found: the removal dialog said "Their policies stay, insuring the client", and the
    removed spouse's life policy then read as the client's own cover ("Covered")."""
    with ctx.book.session() as s:
        client = s.scalars(select(Client).order_by(Client.name)).first()
        spouse = FamilyMember(name="Removal Spouse", relation=Relation.SPOUSE)
        aunt = FamilyMember(name="Removal Aunt", relation=Relation.OTHER)
        client.family += [spouse, aunt]
        client.policies += [
            InsurancePolicy(kind=kind, sum_assured=D(100_000), insured_member=spouse)
            for kind in (PolicyKind.LIFE, PolicyKind.MEDICAL)
        ]
        s.flush()
        name, spouse_id, aunt_id = client.name, spouse.id, aunt.id
    open_client(qtbot, window, name)
    profile = window.workspace.profile
    window.workspace.tabs.setCurrentWidget(profile)
    # The client as the book has it now (the window may have shown it before the members).
    window.workspace.reload()
    qtbot.waitUntil(
        lambda: (
            spouse_id in [r["id"] for r in profile.family.rows]
            and profile.client is not None
            and len(profile.client.policies) >= 2
        ),
        timeout=5000,
    )
    said: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", staticmethod(lambda _p, _t, text, *a: said.append(text))
    )
    asked: list[str] = []

    def question(_parent, _title, text, *a, **k):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    ids = [r["id"] for r in profile.family.rows]

    profile.family_view.setCurrentIndex(profile.family.index(ids.index(spouse_id), 0))
    profile.remove_member()
    _settle(qtbot)
    assert said == [
        "Removal Spouse is the insured person of 2 policies on record, so cannot be removed "
        "from the family. Remove those policies in the Insurance tab first."
    ]
    assert asked == []
    with ctx.book.session() as s:
        assert s.get(FamilyMember, spouse_id) is not None
    assert _policies_of(ctx, spouse_id) == 2

    # A member no policy names: asked, without a word of policies, and removed.
    profile.family_view.setCurrentIndex(profile.family.index(ids.index(aunt_id), 0))
    profile.remove_member()
    _settle(qtbot)
    assert asked == ["Remove Removal Aunt from the family?"]
    with ctx.book.session() as s:
        assert s.get(FamilyMember, aunt_id) is None
