"""Keeping a book's passphrase in the system keyring, when there is one.

The keyring is a convenience the user opts into; the app works without one
(a headless machine, a locked-down laptop), so every failure here means
"no keyring", never an error that stops the book from opening.
"""

from __future__ import annotations

import logging
from pathlib import Path
from types import ModuleType

from reviewdesk.book.errors import BookError
from reviewdesk.i18n import _

SERVICE = "ReviewDesk"
log = logging.getLogger("reviewdesk.keys")


def _keyring() -> ModuleType | None:
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a broken keyring configuration is no keyring
        return None
    if (
        isinstance(backend, fail.Keyring)
        or type(backend).__name__ == "Keyring"
        and type(backend).__module__.endswith("null")
    ):
        return None
    return keyring


def _account(path: Path) -> str:
    return str(Path(path).resolve())


def available() -> bool:
    return _keyring() is not None


def load(path: Path) -> str | None:
    keyring = _keyring()
    if keyring is None:
        return None
    try:
        password: str | None = keyring.get_password(SERVICE, _account(path))
    except Exception as exc:  # noqa: BLE001 - a locked or absent keyring is no keyring
        log.info("keyring not readable: %s", exc)
        return None
    return password


def load_account(service: str, account: str) -> str | None:
    """A secret kept under another service than the books' (a server's password)."""
    keyring = _keyring()
    if keyring is None:
        return None
    try:
        secret: str | None = keyring.get_password(service, account)
    except Exception as exc:  # noqa: BLE001 - a locked or absent keyring is no keyring
        log.info("keyring not readable: %s", exc)
        return None
    return secret


def store(path: Path, passphrase: str) -> None:
    keyring = _keyring()
    if keyring is None:
        raise BookError(_("there is no system keyring on this computer"))
    try:
        keyring.set_password(SERVICE, _account(path), passphrase)
    except Exception as exc:  # noqa: BLE001 - the backend's own error, told in one line
        raise BookError(
            _("the passphrase could not be kept in the keyring: {error}").format(error=exc)
        ) from exc


def forget(path: Path) -> bool:
    keyring = _keyring()
    if keyring is None:
        return False
    try:
        keyring.delete_password(SERVICE, _account(path))
    except Exception:  # noqa: BLE001 - nothing kept is the same as forgotten
        return False
    return True


def store_account(service: str, account: str, secret: str) -> None:
    """Keep a secret under another service than the books' (a server's password)."""
    keyring = _keyring()
    if keyring is None:
        raise BookError(_("there is no system keyring on this computer"))
    try:
        keyring.set_password(service, account, secret)
    except Exception as exc:  # noqa: BLE001 - the backend's own error, told in one line
        raise BookError(
            _("the password could not be kept in the keyring: {error}").format(error=exc)
        ) from exc


def forget_account(service: str, account: str) -> bool:
    keyring = _keyring()
    if keyring is None:
        return False
    try:
        keyring.delete_password(service, account)
    except Exception:  # noqa: BLE001 - nothing kept is the same as forgotten
        return False
    return True
