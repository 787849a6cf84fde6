from reviewdesk.gui.review_page import ReviewPage, load_review
from reviewdesk.money import format_money
from PySide6.QtWidgets import QLabel, QTableWidget


def visible_texts(widget):
    texts = []
    for child in widget.findChildren(QLabel):
        texts.append(child.text())
    for table in widget.findChildren(QTableWidget):
        for r in range(table.rowCount()):
            for c in range(table.columnCount()):
                item = table.item(r, c)
                if item is not None:
                    texts.append(item.text())
    return texts


def test_review_page_shows_the_reviews_numbers(qtbot, demo_ctx):
    page = ReviewPage(demo_ctx)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.review_shown, timeout=10000):
        page.load(1)
    review = page.review
    texts = visible_texts(page)
    assert review.client.name in texts
    net = format_money(review.net_worth, review.currency, "en")
    assert net in texts
    print(page.last_show_ms)
