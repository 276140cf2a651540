"""DocumentKeys (the one-shipment register's key) on the chain, through
clearance.transportDocumentKey, against its Python twin eport.keys, for a table of numbers."""

import pytest
from eth_abi import encode
from web3 import Web3

from eport.keys import DocumentNumberError, document_key, normalise, number_bytes
from tests.customs.declarations import content, reverts_exactly
from tests.helpers import EXPORT, hexstr, reverts_with

EMPTY = "empty"

# (number as raw bytes, what the chain makes of it: the normalised number, EMPTY, or the index
# that DocumentKeysBadCharacter names).
NUMBERS = [
    (b"COSU6212345678", "COSU6212345678"),
    (b"cosu-6212 345678", "COSU6212345678"),
    (b"Cosu.6212/345-678", "COSU6212345678"),
    (b" COSU6212345678 ", "COSU6212345678"),
    (b"COSU6212345678\x00\x00", "COSU6212345678"),  # zero bytes at the end are padding
    (b"maeu 123 456 789", "MAEU123456789"),
    (b"0123456789", "0123456789"),
    (b"azAZ09", "AZAZ09"),
    (b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"),  # 32 characters
    (b"abcdefghijklmnopqrstuvwxyz-01234", "ABCDEFGHIJKLMNOPQRSTUVWXYZ01234"),
    (b"-" * 31 + b"a", "A"),
    (b"A" + b" " * 31, "A"),
    (b"", EMPTY),
    (b" -./", EMPTY),
    (b" " * 32, EMPTY),
    (b"COSU_6212", 4),
    (b"COSU\x006212", 5),  # an embedded zero byte: what follows is refused
    (b"\x00COSU", 1),
    (b"COSU6212345678\x00\x00\x00X", 17),
    (b"COSU,6212", 4),  # 0x2c, just below '-'
    (b"COSU+6212", 4),
    (b"COSU\t6212", 4),
    (b"@", 0),  # just below 'A'
    (b"[", 0),  # just above 'Z'
    (b"`", 0),  # just below 'a'
    (b"{", 0),  # just above 'z'
    (b":", 0),  # just above '9'
    (b"COSU\x7f", 4),
    (b"COSU\xc3\x9f", 4),  # "COSUß": no Unicode case mapping ("SS")
    (b"\xc4\xb1", 0),  # dotless i: not "I"
    (b"\xef\xac\x81", 0),  # the ligature fi: not "FI"
    (b"COSU\xff", 4),  # not even UTF-8
]


def _padded(raw: bytes) -> str:
    return hexstr(raw.ljust(32, b"\0"))


def _text(raw: bytes) -> str | None:
    """The number as Python's twin takes it (None: no str is these bytes)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


@pytest.mark.parametrize("raw, expected", NUMBERS, ids=[repr(raw) for raw, _ in NUMBERS])
def test_the_chain_and_eport_keys_normalise_a_number_alike(clearance, carrier, raw, expected):
    number = _padded(raw)
    text = _text(raw)

    if isinstance(expected, str) and expected != EMPTY:
        key = clearance.transportDocumentKey(carrier, number)
        assert key == hexstr(document_key(str(carrier), text))
        assert key == clearance.transportDocumentKey(carrier, _padded(expected.encode()))
        assert normalise(text) == expected
        assert number_bytes(text) == raw.ljust(32, b"\0")
    elif expected == EMPTY:
        with reverts_with("DocumentKeysEmptyNumber"):
            clearance.transportDocumentKey(carrier, number)
        with pytest.raises(DocumentNumberError) as refused:
            document_key(str(carrier), text)
        assert refused.value.index is None
    else:
        with reverts_exactly("DocumentKeysBadCharacter", number, expected):
            clearance.transportDocumentKey(carrier, number)
        if text is not None:
            with pytest.raises(DocumentNumberError) as refused:
                document_key(str(carrier), text)
            assert refused.value.index == expected
            with pytest.raises(DocumentNumberError):
                number_bytes(text)


def test_the_key_is_the_hash_of_the_carrier_and_the_normalised_number(clearance, carrier):
    expected = Web3.keccak(
        encode(["address", "bytes32"], [str(carrier), b"COSU6212345678".ljust(32, b"\0")])
    )

    assert clearance.transportDocumentKey(carrier, _padded(b"cosu-6212 345678")) == hexstr(expected)


def test_one_number_from_two_carriers_is_two_documents(clearance, carrier, exporter):
    number = _padded(b"COSU6212345678")

    mine = clearance.transportDocumentKey(carrier, number)
    theirs = clearance.transportDocumentKey(exporter, number)

    assert mine != theirs
    assert theirs == hexstr(document_key(str(exporter), "COSU6212345678"))


def test_a_number_longer_than_a_bytes32_has_no_key(carrier):
    for number in ("A" * 33, "cosu-6212 345678-0000-1111-2222-3"):
        with pytest.raises(DocumentNumberError) as refused:
            document_key(str(carrier), number)
        assert refused.value.index is None


def test_eport_keys_refuses_to_encode_a_number_that_is_not_ascii():
    with pytest.raises(DocumentNumberError):
        number_bytes("COSUß")


@pytest.mark.parametrize(
    "raw, error, args",
    [
        (b"", "DocumentKeysEmptyNumber", ()),
        (b"--", "DocumentKeysEmptyNumber", ()),
        (b"COSU#1", "DocumentKeysBadCharacter", (4,)),
        (b"COSU\x001", "DocumentKeysBadCharacter", (5,)),
    ],
)
def test_a_declaration_with_a_bad_transport_document_number_is_refused(
    clearance, unchanged, declarant, exporter, raw, error, args
):
    bad = list(content(flow=EXPORT))
    bad[0] = (*bad[0][:-1], _padded(raw))
    expected = (_padded(raw), *args) if args else ()

    with unchanged(), reverts_exactly(error, *expected):
        clearance.lodge(EXPORT, exporter, tuple(bad), {"from": declarant})
