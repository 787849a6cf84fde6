"""The composition root: one application context for the command line and the GUI."""

from __future__ import annotations

import datetime as dt
import getpass
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from reviewdesk.book import crypto, keys, server
from reviewdesk.book.db import ENV_DB, Book, open_book, resolve_url, sqlite_path
from reviewdesk.book.errors import BookError
from reviewdesk.book.models import Client
from reviewdesk.i18n import _

ENV_PASSPHRASE = "REVIEWDESK_PASSPHRASE"
# New books made while this is set are plain (tests, throwaway books): an explicit choice.
ENV_PLAIN = "REVIEWDESK_PLAIN"

# (book file, creating a new book) -> the passphrase, or None if the user gave none.
PassphraseProvider = Callable[[Path, bool], "str | None"]

log = logging.getLogger("reviewdesk")


@dataclass
class AppContext:
    """What every command and window needs: the book, today, and who is working."""

    db: str | None = None
    today: dt.date = field(default_factory=dt.date.today)
    user: str = field(default_factory=getpass.getuser)
    plain: bool = False
    read_only: bool = False
    # How the front end asks for a passphrase (a terminal prompt, a dialog); None: never asks.
    passphrase_provider: PassphraseProvider | None = None
    # How the front end asks for a server's password (user@host:port/database); None: never.
    server_password_provider: server.PasswordProvider | None = None
    # A server's password typed for this opening (the team book dialog); never stored here
    # beyond the context's life, never in the settings.
    server_password: str | None = field(default=None, repr=False)
    # Offered a passphrase the user typed, to keep it in the system keyring if they wish.
    keyring_offer: Callable[[Path, str], None] | None = None
    # Where the book's messages go (not encrypted, read-only): stderr, a status bar.
    notify: Callable[[str], None] = field(default=lambda message: log.info(message))
    # The day's first opening backs the book up before it is used; the desktop app turns this
    # off and calls `daily_backup()` itself once its window is up (a large book takes seconds).
    backup_on_open: bool = True
    _book: Book | None = None
    _retired: bool = False
    # The keyring's answer for the book, read ahead by `prepare` (taken by the opening).
    _kept: Future[str | None] | None = field(default=None, repr=False)

    @property
    def retired(self) -> bool:
        """True once another book was opened in this context's place (the desktop's
        File > Open, New or Restore): what was under way on this one is of no one now."""
        return self._retired

    @property
    def book(self) -> Book:
        if self._book is None:
            if self._retired:
                raise BookError(_("this book was closed: another book is open now"))
            self._book = self._open()
            for problem in self._book.document_problems:
                self.notify(problem)
            if self._book.backup_problem is not None:
                self.notify(
                    _("The day's backup was not made: {reason}").format(
                        reason=self._book.backup_problem
                    )
                )
            if self._book.read_only:
                self.notify(
                    _("{book} is open read-only: {reason}").format(
                        book=self._book.display_name, reason=self._book.read_only_reason
                    )
                )
        return self._book

    def prepare(self) -> None:
        """Start what opening the book needs and can do while the desktop app's interface
        loads: for an encrypted book file whose passphrase comes without asking (the
        environment, or the keyring, read once on a thread of its own and its answer kept
        for the opening), the key the passphrase derives (book/crypto.prepare_key), on
        another core. Anything else opens as it would have."""
        if self._book is not None or self._retired or self._kept is not None:
            return
        path = sqlite_path(resolve_url(self.db))
        if path is None or crypto.file_kind(path) != "encrypted":
            return
        env = os.environ.get(ENV_PASSPHRASE) or None
        if env:
            crypto.prepare_key(path, env)
            return
        kept: Future[str | None] = Future()

        def read() -> None:
            try:
                passphrase = keys.load(path)
                if passphrase:
                    crypto.prepare_key(path, passphrase)
            except BaseException as exc:  # noqa: BLE001 - the opening raises it
                kept.set_exception(exc)
            else:
                kept.set_result(passphrase)

        self._kept = kept
        threading.Thread(target=read, name="reviewdesk-keyring", daemon=True).start()

    def daily_backup(self) -> Path | None:
        """The day's opening backup, if not made yet; safe from any thread (own connection)."""
        from reviewdesk.book import backup

        book = self.book
        if book.path is None or book.read_only:
            return None
        return backup.daily_backup(book)

    def _open(self) -> Book:
        """The app's policy over `open_book`: a new book is encrypted unless chosen plain."""
        url = resolve_url(self.db)
        path = sqlite_path(url)
        ask = self.server_password_provider

        def opened(passphrase: str | None = None, plain: bool | None = None) -> Book:
            return open_book(
                self.db
                if path is not None
                else server.with_password(url, ask, self.server_password),
                passphrase=passphrase,
                plain=plain,
                read_only=self.read_only,
                daily_backup=self.backup_on_open,
                actor=self.user,
            )

        if path is None:
            return opened()
        kind = crypto.file_kind(path)
        env = os.environ.get(ENV_PASSPHRASE) or None
        if kind == "plain":
            return opened()
        if kind == "new":
            if self.plain or os.environ.get(ENV_PLAIN):
                return opened(plain=True)
            if env:
                return opened(passphrase=env, plain=False)
            if self._is_default_book():
                book = opened(plain=True)
                self.notify(
                    _(
                        "This is a demo book and it is not encrypted. Before you keep "
                        "real clients in it, encrypt it: reviewdesk passphrase"
                    )
                )
                return book
            typed = self.passphrase_provider(path, True) if self.passphrase_provider else None
            if not typed:
                raise crypto.PassphraseRequired(
                    _(
                        "a new book is encrypted: set {env} or type a passphrase, or choose an "
                        "unencrypted book with --plain"
                    ).format(env=ENV_PASSPHRASE)
                )
            book = opened(passphrase=typed, plain=False)
            self._offer_keyring(path, typed)
            return book
        if env:
            return opened(passphrase=env)
        kept = self._kept.result() if self._kept is not None else keys.load(path)
        self._kept = None  # an opening after this one reads the keyring again
        if kept:
            try:
                return opened(passphrase=kept)
            except crypto.WrongPassphrase:
                self.notify(_("The passphrase kept in the keyring no longer opens this book."))
        typed = self.passphrase_provider(path, False) if self.passphrase_provider else None
        if not typed:
            raise crypto.PassphraseRequired(
                _("{book} is encrypted: set {env} or type the passphrase").format(
                    book=path, env=ENV_PASSPHRASE
                )
            )
        book = opened(passphrase=typed)
        if kept != typed:
            self._offer_keyring(path, typed)
        return book

    def _is_default_book(self) -> bool:
        return not self.db and not os.environ.get(ENV_DB)

    def _offer_keyring(self, path: Path, passphrase: str) -> None:
        if self.keyring_offer is not None and keys.available():
            try:
                self.keyring_offer(path, passphrase)
            except BookError as exc:
                self.notify(exc.message())

    def create_book(self, passphrase: str | None) -> Book:
        """A new, empty book at this context's location, encrypted under `passphrase` (plain
        when None); a file that is already a book is refused, never overwritten."""
        url = resolve_url(self.db)
        path = sqlite_path(url)
        if path is None:
            raise BookError(_("only a book file can be created here: {book}").format(book=url))
        if crypto.file_kind(path) != "new":
            raise BookError(
                _("{book} already exists: open it instead of creating it").format(book=path)
            )
        self.close()
        self._book = open_book(
            self.db,
            passphrase=passphrase,
            plain=passphrase is None,
            daily_backup=self.backup_on_open,
            actor=self.user,
        )
        return self._book

    def change_passphrase(
        self, new_passphrase: str, current: str | None = None
    ) -> tuple[bool, int]:
        """Re-key the book (or encrypt a plain one) under `new_passphrase`, audited; a
        passphrase kept in the keyring follows. Returns (was it encrypted, backups re-keyed).

        `current`, when given, is the passphrase the user typed as the book's present one:
        checked against the book before anything changes, and a wrong one changes nothing.
        """
        from reviewdesk.book import audit

        book = self.book
        was_encrypted = book.encrypted
        if was_encrypted and current is not None and not book.opens_with(current):
            raise crypto.WrongPassphrase(
                _("the current passphrase is wrong: the passphrase was not changed")
            )
        followed = book.change_passphrase(new_passphrase)
        with book.session() as session:
            audit.record_event(
                session,
                "passphrase_changed" if was_encrypted else "encrypted",
                detail=f"{followed} backups re-keyed",
            )
        # change_passphrase refuses a book that is not a file, so the path is there.
        if book.path is not None and keys.load(book.path) is not None:
            keys.store(book.path, new_passphrase)
        return was_encrypted, followed

    def client_count(self) -> int:
        with self.book.session() as session:
            return session.scalar(select(func.count(Client.id))) or 0

    def ensure_demo(self, progress: Callable[[int, int], None] | None = None) -> bool:
        """Fill an empty book with the demo (first run); True if it did."""
        from reviewdesk.demo import DemoOptions, fill_demo

        if self.client_count():
            return False
        with self.book.session() as session:
            fill_demo(session, DemoOptions(as_of=self.today), progress)
        return True

    def close(self, *, for_good: bool = False) -> None:
        """Close the book (its lock is released); `for_good`: the context is done with, and
        anything still asking for its book is refused rather than opening it again."""
        if self._book is not None:
            self._book.close()
            self._book = None
        if for_good:
            self._retired = True
