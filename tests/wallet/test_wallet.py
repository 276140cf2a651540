"""Wallets: geth-compatible encrypted keystores, passwords from files or a hidden prompt."""

import json
import stat
import subprocess

import pytest
from eth_account import Account

from eport.toolchain import find_geth
from tests.cli import error_line, run_eport

# Throwaway test key and passwords, made for these tests only.
TEST_KEY = "0x" + "ab" * 32
TEST_PASSWORD = "test-only-password"


eport = run_eport


@pytest.fixture
def wallets_dir(tmp_path):
    return tmp_path / "wallets"


@pytest.fixture
def password_file(tmp_path):
    path = tmp_path / "password"
    path.write_text(TEST_PASSWORD + "\n")
    return path


def wallet(wallets_dir, *args):
    return eport("wallet", "--dir", str(wallets_dir), *args)


def one_error_line(result):
    """The error line, which must be all that stderr holds (no progress before it)."""
    line = error_line(result)
    assert result.stderr.strip().splitlines() == [line]
    return line


def test_created_wallet_is_a_0600_keystore_that_lists_with_its_address(wallets_dir, password_file):
    created = wallet(wallets_dir, "create", "bocom-ops", "--password-file", str(password_file))

    name, address = created.stdout.split()
    path = wallets_dir / "bocom-ops.json"
    assert name == "bocom-ops"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Account.from_key(
        Account.decrypt(json.loads(path.read_text()), TEST_PASSWORD)
    ).address == (address)
    assert wallet(wallets_dir, "list").stdout.split() == ["bocom-ops", address]
    assert wallet(wallets_dir, "address", "bocom-ops").stdout.strip() == address
    assert TEST_PASSWORD not in created.stdout + created.stderr


def test_a_wallet_made_here_is_listed_by_geth(wallets_dir, password_file):
    address = wallet(
        wallets_dir, "create", "w", "--password-file", str(password_file)
    ).stdout.split()[1]

    listed = subprocess.run(
        [find_geth(), "account", "list", "--keystore", str(wallets_dir)],
        capture_output=True,
        text=True,
        check=True,
    )

    assert address[2:].lower() in listed.stdout


def test_an_iv_with_a_leading_zero_byte_is_written_whole_for_geth(tmp_path, monkeypatch):
    import eth_keyfile.keyfile as keyfile

    from eport.wallet import decrypt_keystore, write_keystore

    real = keyfile.Random.get_random_bytes

    def zero_first(n):  # a random IV that starts with a zero byte, as 1 in 256 do
        return b"\0" + real(n - 1) if n == 16 else real(n)

    monkeypatch.setattr(keyfile.Random, "get_random_bytes", zero_first)
    path = tmp_path / "w.keystore.json"

    address = write_keystore(path, bytes.fromhex(TEST_KEY[2:]), TEST_PASSWORD, kdf_n=2)

    iv = json.loads(path.read_text())["crypto"]["cipherparams"]["iv"]
    assert len(iv) == 32 and iv.startswith("00")  # geth needs all 16 bytes
    account = decrypt_keystore(path, TEST_PASSWORD)
    assert account.address == address == Account.from_key(TEST_KEY).address


def test_a_keystore_made_by_geth_imports_and_signs(tmp_path, wallets_dir, password_file):
    geth_store = tmp_path / "geth-keystore"
    subprocess.run(
        [find_geth(), "account", "new", "--lightkdf", "--keystore", str(geth_store),
         "--password", str(password_file)],
        capture_output=True, check=True,
    )  # fmt: skip
    made_by_geth = next(geth_store.iterdir())

    imported = wallet(
        wallets_dir, "import-keystore", "from-geth", str(made_by_geth),
        "--password-file", str(password_file),
    )  # fmt: skip

    assert imported.returncode == 0, imported.stderr
    address = imported.stdout.split()[1]
    assert address[2:].lower() == json.loads(made_by_geth.read_text())["address"]
    key = Account.decrypt(json.loads((wallets_dir / "from-geth.json").read_text()), TEST_PASSWORD)
    assert Account.from_key(key).address == address


def test_import_key_encrypts_the_given_key(tmp_path, wallets_dir, password_file):
    key_file = tmp_path / "key"
    key_file.write_text(TEST_KEY)

    result = wallet(
        wallets_dir, "import-key", "k", "--key-file", str(key_file),
        "--password-file", str(password_file),
    )  # fmt: skip

    assert result.stdout.split()[1] == Account.from_key(TEST_KEY).address
    assert TEST_KEY[2:] not in (wallets_dir / "k.json").read_text()


def test_change_password_keeps_the_key_and_refuses_the_old_password(
    tmp_path, wallets_dir, password_file
):
    address = wallet(
        wallets_dir, "create", "w", "--password-file", str(password_file)
    ).stdout.split()[1]
    new_file = tmp_path / "new"
    new_file.write_text("another-test-password")

    changed = wallet(
        wallets_dir, "passwd", "w", "--password-file", str(password_file),
        "--new-password-file", str(new_file),
    )  # fmt: skip

    assert changed.returncode == 0, changed.stderr
    data = json.loads((wallets_dir / "w.json").read_text())
    assert Account.from_key(Account.decrypt(data, "another-test-password")).address == address
    with pytest.raises(ValueError):
        Account.decrypt(data, TEST_PASSWORD)


def test_wrong_password_is_one_line_and_changes_nothing(tmp_path, wallets_dir, password_file):
    wallet(wallets_dir, "create", "w", "--password-file", str(password_file))
    before = (wallets_dir / "w.json").read_text()
    wrong = tmp_path / "wrong"
    wrong.write_text("not-the-password")

    result = wallet(
        wallets_dir, "passwd", "w", "--password-file", str(wrong),
        "--new-password-file", str(password_file),
    )  # fmt: skip

    assert one_error_line(result) == "error: wrong password for wallet 'w'"
    assert (wallets_dir / "w.json").read_text() == before


@pytest.mark.parametrize(
    "args, message",
    [
        (["address", "nosuch"], "no wallet named 'nosuch'"),
        (["create", "bad/name"], "wallet name 'bad/name'"),
        (["create", "nopass"], "give --password-file, or run in a terminal"),
        (["import-keystore", "x", "/nonexistent.json", "--password-file", "/nonexistent"],
         "cannot read password file"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line(wallets_dir, args, message):
    result = wallet(wallets_dir, *args)

    assert message in one_error_line(result)
    assert not wallets_dir.exists() or list(wallets_dir.iterdir()) == []


def test_creating_over_an_existing_wallet_is_refused(wallets_dir, password_file):
    wallet(wallets_dir, "create", "w", "--password-file", str(password_file))
    before = (wallets_dir / "w.json").read_text()

    result = wallet(wallets_dir, "create", "w", "--password-file", str(password_file))

    assert "already exists" in one_error_line(result)
    assert (wallets_dir / "w.json").read_text() == before


def test_short_password_is_refused(tmp_path, wallets_dir):
    short = tmp_path / "short"
    short.write_text("abc")

    result = wallet(wallets_dir, "create", "w", "--password-file", str(short))

    assert "at least 8 characters" in one_error_line(result)
