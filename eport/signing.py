"""EIP-712 financing requests: the exporter signs off-chain, its bank finances in one transaction.

An exporter's wallet signs a `TradeFinance.FinancingRequest` (declaration, bank, invoice
number, invoice commitment, receivable, the exact amount it borrows, due date, deadline) and
hands the signed file to the bank; the bank submits it with `financeWithSignature`, which
records, approves and pays out exactly that amount at once. The request's fields come from the
deployed contract's ABI, so this stays in step with it.

The file is JSON: {"kind", "chain_id", "contract", "exporter", "request": {field: value},
"signature"}; numbers are decimal integers, bytes32 fields 0x-hex (the invoice number as its
ASCII bytes, left-aligned).
"""

from __future__ import annotations

import json
from pathlib import Path

from eth_account import Account
from eth_account.messages import encode_typed_data

from .chain import artifact, parse_address
from .errors import EportError

DOMAIN_NAME, DOMAIN_VERSION = "E-Port TradeFinance", "1"
KIND = "eport financing request"


def request_fields() -> list[dict]:
    """The FinancingRequest struct's fields (name, type) as `financeWithSignature` declares them."""
    for entry in artifact("TradeFinance")["abi"]:
        if entry.get("type") == "function" and entry["name"] == "financeWithSignature":
            return [
                {"name": c["name"], "type": c["type"]} for c in entry["inputs"][0]["components"]
            ]
    raise EportError("TradeFinance has no financeWithSignature")


# Fields that carry a document number (ASCII, left-aligned), not a commitment to hash.
NUMBER_FIELDS = frozenset({"invoiceNumber"})


def make_request(**values) -> dict:
    """A request from command-line style values (`eport.abi.to_abi`: "500000.00" CNY, a date,
    an invoice's text for its commitment; the invoice number as printed on the invoice, e.g.
    "INV-2019-1105"), keyed by the struct's field names."""
    from .abi import to_abi
    from .keys import DocumentNumberError, number_bytes

    fields = {f["name"]: f for f in request_fields()}
    if set(values) != set(fields):
        raise EportError(f"a financing request has the fields {', '.join(fields)}")
    request = {}
    for name, value in values.items():
        if name in NUMBER_FIELDS:
            try:
                value = "0x" + number_bytes(str(value)).hex()
            except DocumentNumberError as exc:
                raise EportError(f"{name}: {exc}") from None
        request[name] = to_abi(fields[name], value)
    return request


def typed_data(chain_id: int, contract: str, request: dict) -> dict:
    """The EIP-712 document of `request` (field -> int, or bytes for the invoice)."""
    fields = request_fields()
    message = {}
    for field in fields:
        value = request[field["name"]]
        if field["type"] == "bytes32":
            message[field["name"]] = (
                "0x" + bytes(value).hex() if isinstance(value, bytes) else value
            )
        else:
            message[field["name"]] = int(value)
    return {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            "FinancingRequest": fields,
        },
        "primaryType": "FinancingRequest",
        "domain": {
            "name": DOMAIN_NAME,
            "version": DOMAIN_VERSION,
            "chainId": int(chain_id),
            "verifyingContract": parse_address(str(contract)),
        },
        "message": message,
    }


def sign(key, chain_id: int, contract: str, request: dict) -> str:
    """The 65-byte signature of `request` with private key `key`, as 0x-hex."""
    return _sign(key, typed_data(chain_id, contract, request))


def _sign(key, data: dict) -> str:
    signed = Account.sign_message(encode_typed_data(full_message=data), key)
    return "0x" + bytes(signed.signature).hex()


def signer_of(signed: dict) -> str:
    """The address that signed a request file's content (whoever it claims to be)."""
    data = typed_data(signed["chain_id"], signed["contract"], signed["request"])
    try:
        signature = bytes.fromhex(signed["signature"].removeprefix("0x"))
        return Account.recover_message(encode_typed_data(full_message=data), signature=signature)
    except (ValueError, TypeError):
        raise EportError("the request's signature is not a valid signature") from None


def write(path: Path, account, chain_id: int, contract: str, request: dict) -> dict:
    """Sign `request` with `account` and write the request file; returns its content."""
    data = typed_data(chain_id, contract, request)
    signed = {
        "kind": KIND,
        "chain_id": int(chain_id),
        "contract": data["domain"]["verifyingContract"],
        "exporter": account.address,
        "request": data["message"],
        "signature": _sign(account.key, data),
    }
    try:
        Path(path).write_text(json.dumps(signed, indent=2) + "\n")
    except OSError as exc:
        raise EportError(f"cannot write {path}: {exc.strerror}") from None
    return signed


def read(path: Path) -> dict:
    """A request file written by `write`, checked for shape (not yet against the chain)."""
    try:
        signed = json.loads(Path(path).read_text())
    except OSError as exc:
        raise EportError(f"cannot read {path}: {exc.strerror}") from None
    except ValueError:
        raise EportError(f"{path} is not a signed financing request") from None
    wanted = {f["name"] for f in request_fields()}
    if (
        not isinstance(signed, dict)
        or signed.get("kind") != KIND
        or not isinstance(signed.get("request"), dict)
        or set(signed["request"]) != wanted
        or not isinstance(signed.get("signature"), str)
    ):
        raise EportError(f"{path} is not a signed financing request")
    return signed
