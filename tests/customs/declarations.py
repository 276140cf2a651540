"""Declaration data and Python mirrors of the CustomsClearance enums, for the customs tests.

A declaration's content is the nested tuple `lodge` and `amend` take:
(shipment, valuation, line items, documents commitment, per-document commitments).
"""

from contextlib import contextmanager

from brownie import web3
from brownie.exceptions import VirtualMachineError
from eth_abi import encode
from eth_account import Account as EthAccount

from eport.testing import party_account
from tests.helpers import (
    _revert_message,
    commitment,
    document_number,
    hexstr,
    new_bill_of_lading,
)

# ICustomsClearanceView.Flow and .Status, CustomsClearance.Channel and .Incoterms.
IMPORT, EXPORT = 0, 1
(
    NONE,
    LODGED,
    CHANNELLED,
    INSPECTED,
    ASSESSED,
    DUTY_SECURED,
    RELEASED,
    REJECTED,
    WITHDRAWN,
) = range(9)
STATUS_NAMES = [
    "None",
    "Lodged",
    "Channelled",
    "Inspected",
    "Assessed",
    "DutySecured",
    "Released",
    "Rejected",
    "Withdrawn",
]
NO_CHANNEL, GREEN, YELLOW, RED = range(4)
EXW, FCA, FAS, FOB, CFR, CIF, CPT, CIP, DAP, DPU, DDP = range(11)

# CustomsClearance.Declaration.flags bits.
DOCUMENTS_CHECKED = 1
GOODS_INSPECTED = 2
CHECK_FAILED = 4
GUARANTEED = 8
DUTY_PAID = 16
GUARANTEE_CALLED = 32
UNDER_AUDIT = 64
FLAGGED = 128

DAY = 24 * 60 * 60
DUTY_PAYMENT_PERIOD = 15 * DAY
AUDIT_PERIOD = 3 * 365 * DAY

GENERAL_TRADE = 110  # trade mode 0110
SHANGHAI_WAIGAOQIAO = 2218  # customs office code
WATERWAY, AIR = 2, 5  # transport modes

# Fields of the Declaration record returned by declarationOf, in order.
RECORD_FIELDS = (
    "status",
    "flow",
    "channel",
    "flags",
    "trader",
    "currency",
    "releasedAt",
    "declarant",
    "declaredValue",
    "duty",
    "assessedAt",
    "consumed",
    "guarantor",
    "itemsHash",
)


def line_item(hs_code=8471301000, quantity=100, unit=b"PCE", value=1_000_000, origin=b"CN"):
    return (hs_code, quantity, hexstr(unit), value, hexstr(origin))


# Three lines of an export of electronics (values in US cents).
EXPORT_ITEMS = [
    line_item(8471301000, 200, b"PCE", 12_000_000, b"CN"),  # laptops
    line_item(8517130000, 500, b"PCE", 9_500_000, b"CN"),  # smartphones
    line_item(8504401400, 1_000, b"PCE", 1_500_000, b"CN"),  # power adapters
]

# Three lines of an import of food and wine (values in euro cents).
IMPORT_ITEMS = [
    line_item(2204210000, 6_000, b"LTR", 4_800_000, b"FR"),  # wine in bottles
    line_item(406900000, 2_500, b"KGM", 3_100_000, b"FR"),  # cheese (chapter 04)
    line_item(901210000, 1_200, b"KGM", 900_000, b"BR"),  # roasted coffee (chapter 09)
]


def shipment(
    flow=EXPORT, incoterms=FOB, transport_mode=WATERWAY, bill_of_lading=None, carrier=None
):
    """The shipment particulars; a new bill of lading number unless one is given, shipped by
    `carrier` (default: the registered test carrier)."""
    if flow == EXPORT:
        countries, ports = (b"CN", b"DE"), (b"CNSHA", b"DEHAM")
        counterparty = "Hamburg Elektronik GmbH"
    else:
        countries, ports = (b"FR", b"CN"), (b"FRLEH", b"CNSHA")
        counterparty = "Maison Dupont SARL"
    return (
        commitment(counterparty),
        SHANGHAI_WAIGAOQIAO,
        GENERAL_TRADE,
        incoterms,
        transport_mode,
        hexstr(countries[0]),
        hexstr(countries[1]),
        hexstr(ports[0]),
        hexstr(ports[1]),
        str(carrier or party_account("carrier")),
        document_number(bill_of_lading or new_bill_of_lading()),
    )


def content(
    items=None,
    *,
    flow=EXPORT,
    currency=None,
    declared_value=None,
    freight=0,
    insurance=0,
    documents=("invoice", "packing list", "bill of lading"),
    bill_of_lading=None,
    carrier=None,
):
    """The content tuple for `lodge`/`amend`; the declared value defaults to the items' sum;
    a new bill of lading number unless one is given."""
    if items is None:
        items = EXPORT_ITEMS if flow == EXPORT else IMPORT_ITEMS
    if currency is None:
        currency = b"USD" if flow == EXPORT else b"EUR"
    if declared_value is None:
        declared_value = sum(item[3] for item in items)
    per_document = [commitment(name) for name in documents]
    return (
        shipment(flow, bill_of_lading=bill_of_lading, carrier=carrier),
        (hexstr(currency), declared_value, freight, insurance),
        list(items),
        commitment("|".join(documents)),
        per_document,
    )


def items_hash(items) -> str:
    """keccak256(abi.encode(LineItem[])): the commitment the contract stores."""
    raw = [(h, q, bytes.fromhex(u[2:]), v, bytes.fromhex(o[2:])) for h, q, u, v, o in items]
    encoded = encode(["(uint64,uint64,bytes3,uint128,bytes2)[]"], [raw])
    return hexstr(bytes(web3.keccak(encoded)))


def uses(clearance, transport_doc) -> tuple[int, int]:
    """transportDocumentOf as a plain tuple: (export declaration id, import declaration id)."""
    export_id, import_id = clearance.transportDocumentOf(transport_doc)
    return int(export_id), int(import_id)


def record(clearance, declaration_id) -> dict:
    """declarationOf as a dict keyed by field name."""
    return dict(zip(RECORD_FIELDS, clearance.declarationOf(declaration_id), strict=True))


PERMIT_TYPES = {
    "Permit": [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
}


def permit_signature(token, owner, spender, value: int, deadline: int, signer=None):
    """(v, r, s) of an EIP-2612 permit for `token` signed by `signer` (default `owner`), a
    Brownie LocalAccount (one with a private key)."""
    _, name, version, chain_id, verifying_contract, _, _ = token.eip712Domain()
    domain = {
        "name": name,
        "version": version,
        "chainId": chain_id,
        "verifyingContract": str(verifying_contract),
    }
    message = {
        "owner": str(owner),
        "spender": str(spender),
        "value": value,
        "nonce": token.nonces(owner),
        "deadline": deadline,
    }
    key = (signer or owner).private_key
    signed = EthAccount.sign_typed_data(key, domain, PERMIT_TYPES, message)
    return signed.v, hexstr(signed.r.to_bytes(32, "big")), hexstr(signed.s.to_bytes(32, "big"))


def _printed(arg) -> str:
    """An error argument as Brownie prints it: a bytes32 as Python bytes (b'...'), an address
    in lower case."""
    if hasattr(arg, "address"):
        arg = arg.address
    if isinstance(arg, str) and arg.startswith("0x") and len(arg) == 66:
        return str(bytes.fromhex(arg[2:]))
    if isinstance(arg, bytes):
        return str(bytes(arg))
    if isinstance(arg, str) and arg.startswith("0x") and len(arg) == 42:
        return arg.lower()
    return str(arg)


@contextmanager
def reverts_exactly(error: str, *args):
    """Like tests.helpers.reverts_with, for errors with bytes32 arguments (transport document
    keys and numbers): the whole decoded message must be `error` with exactly `args`. Brownie
    prints a bytes32 argument as Python bytes, which may hold a comma, so the message is not
    split into arguments but compared whole."""
    expected = f"{error}: {', '.join(_printed(a) for a in args)}" if args else error
    try:
        yield
    except (VirtualMachineError, ValueError) as exc:
        message = _revert_message(exc)
        if not args:
            message = message.partition(":")[0]
        assert message == expected, f"expected revert {expected!r}, got {message!r}"
    else:
        raise AssertionError(f"expected revert {expected}, but nothing reverted")
