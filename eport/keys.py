"""Unsalted register keys of trade documents, as the contracts compute them (DocumentKeys.sol).

A transport document is keyed on its carrier and its bill of lading / air waybill number, an
invoice on its seller and its invoice number. The number is normalised first (upper case;
spaces, '-', '.' and '/' dropped), so every way of writing one number gives one key. The
contracts do the same on the chain from the number itself: a client cannot pick another key.
"""

from __future__ import annotations

from eth_abi import encode
from eth_utils import keccak, to_checksum_address

SEPARATORS = frozenset(" -./")


class DocumentNumberError(ValueError):
    """A document number the contracts would refuse."""


def normalise(number: str) -> str:
    """The normalised form of a document number, or DocumentNumberError."""
    out = []
    for ch in number:
        if ch in SEPARATORS:
            continue
        up = ch.upper()
        if not (("A" <= up <= "Z") or ("0" <= up <= "9")):
            raise DocumentNumberError(f"{number!r}: {ch!r} is not a letter, digit or separator")
        out.append(up)
    if not out:
        raise DocumentNumberError(f"{number!r} is empty once normalised")
    return "".join(out)


def number_bytes(number: str) -> bytes:
    """The number as the contracts take it: ASCII, left-aligned in 32 bytes (as written)."""
    raw = number.encode("ascii", errors="strict") if number.isascii() else None
    if raw is None:
        raise DocumentNumberError(f"{number!r} is not ASCII")
    if len(raw) > 32:
        raise DocumentNumberError(f"{number!r} is longer than 32 characters")
    normalise(number)
    return raw.ljust(32, b"\0")


def document_key(issuer: str, number: str) -> bytes:
    """keccak256(abi.encode(issuer, normalised number as bytes32))."""
    normal = normalise(number).encode("ascii").ljust(32, b"\0")
    return keccak(encode(["address", "bytes32"], [to_checksum_address(issuer), normal]))
