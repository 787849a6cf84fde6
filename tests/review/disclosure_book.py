"""An encrypted book whose client has internal and shared contacts and next steps.

Used by the core, pack, present-mode and exchange tests of what a client may read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reviewdesk.book.db import Book, open_book
from reviewdesk.book.enums import Channel, Language
from reviewdesk.book.models import Contact
from tests import factories as f

PASSPHRASE = "内部笔记 stay inside 2026"
TODAY = dt.date(2026, 6, 15)

# The manager's own judgement: never to reach the client, on paper or on screen.
NOTE = "内部判断有流失风险，可考虑费率优惠；客户母亲在本行另有大额存款"
NOTE_WORDS = ("流失风险", "费率优惠", "母亲", "大额存款")
INTERNAL_STEP = "申请管理费优惠审批"
SHARED_NOTE = "回顾资产配置，客户认可再平衡建议"
OPEN_STEP = "寄送重疾险方案"  # shared, open, due 2026-07-10
SOONER_STEP = "预约下次面谈"  # shared, open, due 2026-06-20: listed first
DONE_STEP = "发送产品说明书"  # shared, done on 2026-06-05
HIDDEN_STEP = "整理家庭资产情况"  # open, due, but not shared
SPECIAL_NOTES = "勿在工作时间致电，客户配偶不知其他行资产"


def disclosure_book(path: Path) -> Book:
    return open_book(str(path), passphrase=PASSPHRASE)


def add_client(book: Book, language: Language = Language.ZH) -> int:
    with book.session() as session:
        client = f.client("D1", "赵敏", language=language, special_notes=SPECIAL_NOTES)
        client.snapshots = [f.snapshot(dt.date(2026, 5, 31), f.holding(value="500000"))]
        client.contacts = [
            Contact(
                contact_date=dt.date(2026, 6, 12),
                channel=Channel.PHONE,
                summary=NOTE,
                next_step=INTERNAL_STEP,
                next_step_due=dt.date(2026, 6, 25),
            ),
            Contact(
                contact_date=dt.date(2026, 6, 10),
                channel=Channel.MEETING,
                summary=SHARED_NOTE,
                shared=True,
                next_step=OPEN_STEP,
                next_step_shared=True,
                next_step_due=dt.date(2026, 7, 10),
            ),
            Contact(
                contact_date=dt.date(2026, 6, 1),
                channel=Channel.EMAIL,
                summary="发送月度资产回顾表",
                shared=True,
                next_step=DONE_STEP,
                next_step_shared=True,
                next_step_due=dt.date(2026, 6, 8),
                next_step_done=dt.date(2026, 6, 5),
            ),
            Contact(
                contact_date=dt.date(2026, 5, 20),
                channel=Channel.CHAT,
                summary="客户咨询子女教育金规划",
                next_step=HIDDEN_STEP,
                next_step_due=dt.date(2026, 6, 18),
            ),
            Contact(
                contact_date=dt.date(2026, 5, 2),
                channel=Channel.PHONE,
                summary="电话沟通市场情况",
                shared=True,
                next_step=SOONER_STEP,
                next_step_shared=True,
                next_step_due=dt.date(2026, 6, 20),
            ),
        ]
        session.add(client)
        session.flush()
        return client.id
