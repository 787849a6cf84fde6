"""A family member is not removed while a policy names them as the insured person."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from reviewdesk.book.editing import delete_record, insured_policies
from reviewdesk.book.enums import PolicyKind, Relation
from reviewdesk.book.errors import ValidationError
from reviewdesk.book.models import FamilyMember, InsurancePolicy
from tests import factories as f


def test_a_member_insured_by_a_policy_is_not_removed(book):
    """Found: the spouse removed, her life policy named no one, which the book reads as
    the client: the review said the client's life cover was "Covered" by it."""
    with book.session() as s:
        client = f.client("M1", "周杰")
        spouse = FamilyMember(name="周太", relation=Relation.SPOUSE)
        son = FamilyMember(name="周小", relation=Relation.SON)
        client.family = [spouse, son]
        client.policies = [
            InsurancePolicy(kind=PolicyKind.LIFE, sum_assured=D(1_000_000), insured_member=spouse),
            InsurancePolicy(kind=PolicyKind.MEDICAL, sum_assured=D(500_000), insured_member=spouse),
        ]
        s.add(client)
        s.flush()
        spouse_id, son_id = spouse.id, son.id
    with book.session() as s:
        assert insured_policies(s, spouse_id) == 2
        with pytest.raises(ValidationError) as refused:
            delete_record(s, FamilyMember, spouse_id)
    assert refused.value.refusal("en") == (
        "Name “周太”: is the insured person of policies on record (2): remove those policies "
        "in the Insurance tab first"
    )
    assert "是 2 份在册保单的被保险人" in refused.value.refusal("zh")
    with book.session() as s:
        assert s.get(FamilyMember, spouse_id) is not None
        assert [p.insured_member_id for p in s.query(InsurancePolicy)] == [spouse_id] * 2
        # A member no policy names is removed as before.
        delete_record(s, FamilyMember, son_id)
    with book.session() as s:
        assert s.get(FamilyMember, son_id) is None
