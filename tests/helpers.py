"""Shared test helpers: the revert assertion, ids and encodings used across the suites, customs
declarations lodged and released on the real CustomsClearance, and `wait_until` for the chain
clock.

from tests.helpers import reverts_with

with reverts_with("AllianceNotMemberOperator", outsider):
    registry.registerParticipant(exporter, EXPORTER, {"from": outsider})
"""

import itertools
import time
from contextlib import contextmanager

import pytest
from brownie import chain, web3
from brownie._config import CONFIG
from brownie.convert.datatypes import HexString
from brownie.exceptions import VirtualMachineError
from eth_abi import encode
from web3 import Web3

from eport.keys import document_key, number_bytes
from eport.testing import party_account, party_address

keccak = Web3.keccak

# Member ids the `registry` fixture bootstraps, in this order.
CUSTOMS_ID, PBOC_ID, GOV_ID, BOCOM_ID, ICBC_ID = 1, 2, 3, 4, 5

# Issuance caps the `token` fixture sets, in fen.
BOCOM_CAP = 1_000_000_000  # 10,000,000.00 CNY
ICBC_CAP = 500_000_000

# IAllianceRegistry.MemberKind
KIND_NONE, KIND_CUSTOMS, KIND_CENTRAL_BANK, KIND_GOVERNMENT, KIND_COMMERCIAL_BANK = range(5)

# Participant role bits.
EXPORTER, IMPORTER, CARRIER, DECLARANT = 1, 2, 4, 8

# AllianceRegistry.Action
(
    ADMIT_MEMBER,
    REMOVE_MEMBER,
    ADD_OPERATOR,
    REMOVE_OPERATOR,
    REPLACE_OPERATOR,
    SET_SYSTEM_CONTRACT,
    PAUSE,
    UNPAUSE,
) = range(8)
SET_PARTICIPANT_ROLES, REINSTATE_PARTICIPANT = 8, 9  # appended: the numbers above stay

ZERO_ADDRESS = "0x" + "00" * 20
ZERO32 = "0x" + "00" * 32

# ICustomsClearanceView.Flow, some of its Status values and CustomsClearance.Channel.GREEN
# (tests/customs/declarations.py mirrors all of them).
IMPORT, EXPORT = 0, 1
CUSTOMS_LODGED, CUSTOMS_RELEASED, CUSTOMS_REJECTED = 1, 6, 7
GREEN = 1
DECLARED_VALUE = 10_000_000  # 100,000.00 in minor units: the default declared value


def _format(arg) -> str:
    """Format an expected error argument the way Brownie prints a decoded custom error."""
    if isinstance(arg, bool):
        return str(arg)
    if hasattr(arg, "address"):
        arg = arg.address
    if isinstance(arg, str) and arg.startswith("0x") and len(arg) == 42:
        return arg.lower()
    if isinstance(arg, bytes) and not isinstance(arg, HexString):
        return str(HexString(arg, "bytes32"))
    return str(arg)


@contextmanager
def reverts_with(error: str, *args):
    """Assert the block reverts with custom error `error` (by name) and, if given, these
    leading args (give all of them unless a trailing one is impractical to predict).

    Brownie decodes custom errors of every project contract into `revert_msg` as
    "Name: arg1, arg2"; addresses may be passed as accounts or contracts.
    """
    try:
        yield
    except (VirtualMachineError, ValueError) as exc:
        message = _revert_message(exc)
        name, _, rest = message.partition(":")
        assert name == error, f"expected revert {error}, got {message!r}"
        if args:
            expected = [_format(a) for a in args]
            actual = [part.strip() for part in rest.split(",")][: len(expected)]
            assert actual == expected, f"{error}: expected args {expected}, got {rest.strip()!r}"
    else:
        raise AssertionError(f"expected revert {error}, but nothing reverted")


def _revert_message(exc: Exception) -> str:
    """The decoded custom error, "Name: arg1, arg2", however Brownie reported the revert.

    On Anvil a reverting call raises VirtualMachineError. On a live network (the Clique chain)
    Brownie estimates gas first and raises ValueError("Gas estimation failed: 'Name: args'.
    This transaction will likely revert...") before anything is sent.
    """
    if isinstance(exc, VirtualMachineError):
        return exc.revert_msg or ""
    text = str(exc)
    prefix = "Gas estimation failed: '"
    if not text.startswith(prefix):
        raise exc
    return text[len(prefix) : text.index("'. This transaction will likely revert")]


def admit_member_data(kind: int, name_hash, operators) -> bytes:
    if isinstance(name_hash, str):
        name_hash = bytes.fromhex(name_hash.removeprefix("0x"))
    return encode(["uint8", "bytes32", "address[]"], [kind, name_hash, [str(o) for o in operators]])


def member_data(member_id: int) -> bytes:
    return encode(["uint16"], [member_id])


def operator_data(member_id: int, operator) -> bytes:
    return encode(["uint16", "address"], [member_id, str(operator)])


def replace_operator_data(member_id: int, old, new) -> bytes:
    return encode(["uint16", "address", "address"], [member_id, str(old), str(new)])


def system_contract_data(target, enabled: bool) -> bytes:
    return encode(["address", "bool"], [str(target), enabled])


def participant_roles_data(account, roles: int) -> bytes:
    return encode(["address", "uint8"], [str(account), roles])


def participant_data(account) -> bytes:
    return encode(["address"], [str(account)])


def pass_proposal(registry, action: int, data: bytes, voters):
    """Propose with voters[0], then vote with the rest; return the last transaction."""
    tx = registry.propose(action, data, {"from": voters[0]})
    proposal_id = tx.events["Proposed"]["proposalId"]  # no debug_trace on a live node
    for voter in voters[1:]:
        tx = registry.vote(proposal_id, {"from": voter})
    return tx


def registry_state(registry, watched) -> dict:
    """Everything observable about the registry for `watched` accounts (for no-change checks)."""
    last = registry.lastMemberId()
    return {
        "bootstrapper": registry.bootstrapper(),
        "paused": registry.paused(),
        "active": registry.activeMemberCount(),
        "members": [tuple(registry.memberOf(i)) for i in range(1, last + 1)],
        "proposals": registry.proposalCount(),
        "access": [tuple(registry.accessOf(a)) for a in watched],
        "participants": [tuple(registry.participantOf(a)) for a in watched],
        "hold": [registry.canHoldTokens(a) for a in watched],
        "system": [registry.isSystemContract(a) for a in watched],
        "frozen": [registry.isFrozen(a) for a in watched],
    }


def digest(text: str) -> str:
    """keccak256 of `text` as a 0x-hex string (how bytes32 compare with Brownie return values)."""
    return "0x" + keccak(text=text).hex().removeprefix("0x")


def _pure_python_stateful():
    """Brownie's stateful module loaded from its .py source.

    eth-brownie 1.22.2 ships `brownie/test/stateful.py` compiled with mypyc (PR #1952); the
    compiled `_BrownieStateMachine` cannot be subclassed at run time, so the `state_machine`
    fixture fails with "TypeError: brownie.test.stateful._BrownieStateMachine object expected".
    The source file beside it works unchanged.
    """
    import importlib.util
    from pathlib import Path

    import brownie.test

    path = Path(brownie.test.__file__).with_name("stateful.py")
    spec = importlib.util.spec_from_file_location("_eport_brownie_stateful", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_state_machine(rules_object, *args, settings=None, **kwargs):
    """Drop-in for Brownie's `state_machine` fixture (see `_pure_python_stateful`)."""
    _pure_python_stateful().state_machine(rules_object, *args, settings=settings, **kwargs)


def hexstr(value: bytes) -> str:
    """bytesN as the 0x-string Brownie returns (and compares with)."""
    return "0x" + value.hex()


def commitment(text: str, salt: str = "salt") -> str:
    """A salted hash as a party would commit to a document."""
    return hexstr(bytes(web3.keccak(text=f"{salt}:{text}")))


_BILLS = itertools.count(1)


def new_bill_of_lading() -> str:
    """A bill of lading number no declaration of this test session carries yet: customs refuses
    a second live declaration of one transport document."""
    return f"COSU{6_200_000_000 + next(_BILLS)}"


def document_number(text: str) -> str:
    """A document number as the contracts take it: ASCII left-aligned in a bytes32."""
    return hexstr(number_bytes(text))


def bill_key(bill_of_lading: str, carrier=None) -> str:
    """The one-shipment register key of a bill of lading (default carrier: the test carrier)."""
    return hexstr(document_key(str(carrier or party_address("carrier")), bill_of_lading))


def declaration_content(value=DECLARED_VALUE, currency=b"CNY", bill_of_lading=None, carrier=None):
    """The `lodge` content of a one-line declaration (laptops, Shanghai -> Hamburg) of `value`
    minor units of `currency`, shipped by `carrier` (default: the registered test carrier)
    under `bill_of_lading` (default: a new number)."""
    shipment = (
        commitment("Hamburg Elektronik GmbH"),
        2218,  # Shanghai Waigaoqiao
        110,  # general trade
        3,  # FOB
        2,  # waterway
        hexstr(b"CN"),
        hexstr(b"DE"),
        hexstr(b"CNSHA"),
        hexstr(b"DEHAM"),
        str(carrier or party_account("carrier")),
        document_number(bill_of_lading or new_bill_of_lading()),
    )
    items = [(8471301000, 200, hexstr(b"PCE"), value, hexstr(b"CN"))]
    documents = [commitment(d) for d in ("invoice", "packing list", "bill of lading")]
    return (shipment, (hexstr(currency), value, 0, 0), items, commitment("documents"), documents)


def lodge(
    clearance,
    declarant,
    trader,
    flow=EXPORT,
    value=DECLARED_VALUE,
    currency=b"CNY",
    bill_of_lading=None,
    carrier=None,
):
    """The declarant lodges a declaration for `trader`; returns its id (from the event, so it
    works on a live chain too)."""
    content = declaration_content(value, currency, bill_of_lading, carrier)
    tx = clearance.lodge(flow, trader, content, {"from": declarant})
    return tx.events["DeclarationLodged"]["id"]


def release_on_green(clearance, customs, declaration_id):
    """Customs takes a lodged declaration through the green channel (no checks), assesses no
    duty and releases it."""
    clearance.assignChannel(declaration_id, GREEN, {"from": customs})
    clearance.assessDuty(declaration_id, 0, {"from": customs})
    clearance.release(declaration_id, {"from": customs})


def released_export(
    clearance,
    customs,
    declarant,
    trader,
    value=DECLARED_VALUE,
    currency=b"CNY",
    bill_of_lading=None,
    carrier=None,
):
    """An export declaration for `trader` lodged and released on the green channel; its id."""
    declaration_id = lodge(
        clearance, declarant, trader, EXPORT, value, currency, bill_of_lading, carrier
    )
    release_on_green(clearance, customs, declaration_id)
    return declaration_id


def latest_time() -> int:
    """The timestamp of the chain head."""
    return web3.eth.get_block("latest").timestamp


LONGEST_LIVE_WAIT = 120  # seconds: a test waits on a live chain for a short while only


def wait_until(timestamp: int, too_long: str | None = None) -> None:
    """Return once the chain head is later than `timestamp`: the next transaction is mined
    after it. A development chain (Anvil) mines a block at `timestamp` + 1 at once; on a live
    chain (the Clique network) this polls the head until a sealed block passes `timestamp`,
    and refuses a wait longer than LONGEST_LIVE_WAIT seconds: it fails, or skips the rest of
    the test with the reason `too_long` when the wait depends on the day (a calendar rule)."""
    head = latest_time()
    if head > timestamp:
        return
    if CONFIG.network_type == "development":
        web3.provider.make_request("evm_setNextBlockTimestamp", [timestamp + 1])
        chain.mine()
        return
    if too_long is not None and timestamp - head > LONGEST_LIVE_WAIT:
        pytest.skip(f"{too_long} (a live chain cannot wait {timestamp - head} s)")
    assert timestamp - head <= LONGEST_LIVE_WAIT, f"a live chain cannot wait {timestamp - head} s"
    deadline = time.monotonic() + timestamp - head + 30
    while latest_time() <= timestamp:
        assert time.monotonic() < deadline, f"no block after {timestamp} on the live chain"
        time.sleep(0.5)
