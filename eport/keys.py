"""Unsalted register keys of trade documents, as the contracts compute them (DocumentKeys.sol).

A transport document is keyed on its carrier and its bill of lading / air waybill number, an
invoice on its seller and its invoice number. The number is normalised first (upper case;
spaces, '-', '.' and '/' dropped), so every way of writing one number gives one key. The
contracts do the same on the chain from the number itself: a client cannot pick another key.

`normalise` follows DocumentKeys.normalise byte for byte: the number is the bytes32 the
contracts take (at most 32 bytes; zero bytes at the end are padding, anything after a zero
byte is refused), and only ASCII letters, digits and the four separators pass, so a number
this module accepts is exactly one the chain accepts, with the same key.
"""

from __future__ import annotations

from eth_abi import encode
from eth_utils import keccak, to_checksum_address

SEPARATORS = frozenset(b" -./")
NUMBER_BYTES = 32


class DocumentNumberError(ValueError):
    """A document number the contracts would refuse. `index`: the byte the chain's
    DocumentKeysBadCharacter names (None when the chain would say DocumentKeysEmptyNumber, or
    the number cannot be put in a bytes32 at all)."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


def _raw(number: str) -> bytes:
    raw = number.encode("utf-8")
    if len(raw) > NUMBER_BYTES:
        raise DocumentNumberError(f"{number!r} is longer than {NUMBER_BYTES} bytes")
    return raw


def normalise(number: str) -> str:
    """The normalised form of a document number, or DocumentNumberError."""
    out = []
    ended = False
    for index, byte in enumerate(_raw(number)):
        if byte == 0:
            ended = True
            continue
        if ended:
            raise DocumentNumberError(f"{number!r}: a byte after the end at {index}", index)
        if byte in SEPARATORS:
            continue
        if 0x61 <= byte <= 0x7A:  # a-z: bytes, not str.upper() ("ß" would become "SS")
            byte -= 0x20
        elif not (0x41 <= byte <= 0x5A or 0x30 <= byte <= 0x39):
            raise DocumentNumberError(
                f"{number!r}: byte {index} is not a letter, digit or separator", index
            )
        out.append(chr(byte))
    if not out:
        raise DocumentNumberError(f"{number!r} is empty once normalised")
    return "".join(out)


def number_bytes(number: str) -> bytes:
    """The number as the contracts take it: ASCII, left-aligned in 32 bytes (as written)."""
    if not number.isascii():
        raise DocumentNumberError(f"{number!r} is not ASCII")
    normalise(number)
    return _raw(number).ljust(NUMBER_BYTES, b"\0")


def document_key(issuer: str, number: str) -> bytes:
    """keccak256(abi.encode(issuer, normalised number as bytes32))."""
    normal = normalise(number).encode("ascii").ljust(NUMBER_BYTES, b"\0")
    return keccak(encode(["address", "bytes32"], [to_checksum_address(issuer), normal]))
