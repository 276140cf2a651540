"""Shared test helpers: the revert assertion, ids and encodings used across the suites.

from tests.helpers import reverts_with

with reverts_with("AllianceNotMemberOperator", outsider):
    registry.registerParticipant(exporter, EXPORTER, {"from": outsider})
"""

from contextlib import contextmanager

from brownie.convert.datatypes import HexString
from brownie.exceptions import VirtualMachineError
from eth_abi import encode
from web3 import Web3

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

ZERO_ADDRESS = "0x" + "00" * 20
ZERO32 = "0x" + "00" * 32


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


def wait_until(timestamp: int, max_wait: int = 60) -> int:
    """Return the head block's timestamp once it is past `timestamp`, so that the next
    transaction runs after it (e.g. after a due date).

    On a development network (Anvil) the clock is moved forward and a block mined; on a live
    network (the Clique chain) the head block is polled as the sealers seal. On both, a target
    more than `max_wait` seconds ahead of the head is refused: a test that passes on Anvil
    never waits longer than that on Clique.
    """
    import time

    from brownie import chain, web3
    from brownie.network import rpc

    head = web3.eth.get_block("latest").timestamp
    if timestamp - head > max_wait:
        raise ValueError(f"{timestamp} is {timestamp - head} s ahead of the head, > {max_wait} s")
    if head <= timestamp and rpc.is_active():
        chain.sleep(timestamp - head + 1)
        chain.mine()
    deadline = time.monotonic() + max_wait + 10  # slack for the sealers' block period
    while head <= timestamp:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the head block is still at {head}, not past {timestamp}")
        time.sleep(0.5)
        head = web3.eth.get_block("latest").timestamp
    return head
