"""Encrypted wallets: Web3 Secret Storage keystores (geth's format), one file per wallet.

A wallet is `<folder>/<name>.json`, written with eth-account (scrypt, as geth writes them), mode
0600. geth reads any keystore file in its `--keystore` folder whatever its name, so a wallet
folder is also a geth keystore folder, and a geth keystore file imports as a wallet.
Passwords come from a hidden prompt or a file, never from the command line.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount
from web3 import Web3

from .errors import EportError
from .toolchain import PROJECT_ROOT

DEFAULT_WALLETS = PROJECT_ROOT / ".eport" / "wallets"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MIN_PASSWORD = 8


@dataclass(frozen=True)
class WalletInfo:
    name: str
    address: str
    path: Path


def write_keystore(path: Path, key: bytes, password: str, *, kdf_n: int | None = None) -> str:
    """Encrypt `key` to a keystore file (mode 0600, never overwriting); returns the address.

    `kdf_n` lowers scrypt's cost for throwaway test keys only; the default is geth's.
    """
    keystore = Account.encrypt(key, password, **({"iterations": kdf_n} if kdf_n else {}))
    # eth-keyfile writes the 16-byte IV from an integer, dropping leading zero bytes (1 keystore
    # in 256): geth then panics with "bad IV length". The same counter, written whole:
    params = keystore["crypto"]["cipherparams"]
    params["iv"] = params["iv"].rjust(32, "0")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise EportError(f"{path} already exists; nothing was overwritten") from None
    with os.fdopen(fd, "w") as handle:
        json.dump(keystore, handle)
    return Web3.to_checksum_address("0x" + keystore["address"])


def read_keystore(path: Path) -> dict:
    try:
        data = json.loads(path.read_text())
        Web3.to_checksum_address("0x" + data["address"].removeprefix("0x"))
        data["crypto" if "crypto" in data else "Crypto"]["ciphertext"]
    except FileNotFoundError:
        raise EportError(f"no keystore file at {path}") from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise EportError(f"{path} is not a Web3 Secret Storage keystore") from None
    return data


def decrypt_keystore(path: Path, password: str) -> LocalAccount:
    data = read_keystore(path)
    try:
        return Account.from_key(Account.decrypt(data, password))
    except ValueError:
        raise EportError(f"wrong password for {path.name}") from None


class Wallets:
    """The wallets in one folder ($EPORT_WALLETS, default .eport/wallets in the project)."""

    def __init__(self, folder: Path | str | None = None):
        self.folder = Path(folder or os.environ.get("EPORT_WALLETS") or DEFAULT_WALLETS)

    def path(self, name: str) -> Path:
        if not NAME.match(name):
            raise EportError(f"wallet name {name!r} must be 1-64 letters, digits, '.', '_' or '-'")
        return self.folder / f"{name}.json"

    def _new_path(self, name: str) -> Path:
        path = self.path(name)
        if path.exists():
            raise EportError(f"a wallet named {name!r} already exists in {self.folder}")
        return path

    def list(self) -> list[WalletInfo]:
        if not self.folder.is_dir():
            return []
        found = []
        for path in sorted(self.folder.glob("*.json")):
            try:
                data = read_keystore(path)
            except EportError:
                continue
            address = Web3.to_checksum_address("0x" + data["address"].removeprefix("0x"))
            found.append(WalletInfo(path.stem, address, path))
        return found

    def info(self, name: str) -> WalletInfo:
        path = self.path(name)
        if not path.exists():
            raise EportError(f"no wallet named {name!r} in {self.folder} (see `eport wallet list`)")
        data = read_keystore(path)
        return WalletInfo(name, Web3.to_checksum_address("0x" + data["address"]), path)

    def create(self, name: str, password: str, *, kdf_n: int | None = None) -> WalletInfo:
        _check_password(password)
        path = self._new_path(name)
        address = write_keystore(path, Account.create().key, password, kdf_n=kdf_n)
        return WalletInfo(name, address, path)

    def import_key(self, name: str, private_key: str, password: str) -> WalletInfo:
        _check_password(password)
        path = self._new_path(name)
        try:
            key = Account.from_key(private_key.strip()).key
        except (ValueError, TypeError):
            raise EportError("that is not a private key (64 hex digits)") from None
        return WalletInfo(name, write_keystore(path, key, password), path)

    def import_keystore(self, name: str, source: Path, password: str) -> WalletInfo:
        """Copy a keystore (e.g. from geth's keystore folder) after checking its password."""
        account = decrypt_keystore(Path(source), password)
        path = self._new_path(name)
        data = read_keystore(Path(source))
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(data, handle)
        return WalletInfo(name, account.address, path)

    def unlock(self, name: str, password: str) -> LocalAccount:
        info = self.info(name)
        try:
            return decrypt_keystore(info.path, password)
        except EportError:
            raise EportError(f"wrong password for wallet {name!r}") from None

    def change_password(self, name: str, old: str, new: str) -> WalletInfo:
        _check_password(new)
        account = self.unlock(name, old)
        info = self.info(name)
        staging = info.path.with_name(f".{name}.new")
        staging.unlink(missing_ok=True)
        write_keystore(staging, account.key, new)
        staging.replace(info.path)  # atomic: the old file stays until the new one is complete
        return info


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise EportError(f"a wallet password needs at least {MIN_PASSWORD} characters")


def read_password_file(path: Path | str) -> str:
    """The first line of a password file (geth's convention), without its newline."""
    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise EportError(f"cannot read password file {path}: {exc.strerror}") from None
    lines = text.splitlines()
    if not lines or not lines[0]:
        raise EportError(f"password file {path} is empty")
    return lines[0]
