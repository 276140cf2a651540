"""EIP-2612 permits signed with a test account's key."""

from eth_abi import encode
from eth_account import Account

from tests.helpers import keccak

PERMIT_TYPEHASH = keccak(
    text="Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
)


def sign_permit(token, owner, spender, value, deadline, key=None, nonce=None):
    """EIP-2612 signature (v, r, s) by `key` (default: the owner's own key)."""
    nonce = token.nonces(owner) if nonce is None else nonce
    struct = keccak(
        encode(
            ["bytes32", "address", "address", "uint256", "uint256", "uint256"],
            [PERMIT_TYPEHASH, str(owner), str(spender), value, nonce, deadline],
        )
    )
    domain = bytes.fromhex(str(token.DOMAIN_SEPARATOR())[2:])
    signed = Account.unsafe_sign_hash(
        keccak(b"\x19\x01" + domain + struct), key or owner.private_key
    )
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")
