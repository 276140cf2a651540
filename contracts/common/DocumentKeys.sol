// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Unsalted keys of trade documents, for uniqueness registers.
/// @notice What identifies "the same goods" everywhere is the transport document (carrier +
/// bill of lading or air waybill number) and the seller's invoice (seller + invoice number).
/// A register keyed on a salted hash is no register: a new salt makes a new key. So the
/// registers of this alliance key a document on its issuer and its NORMALISED number, computed
/// on the chain from the number itself, so that "cosu-6012 345" and "COSU6012345" are one key.
/// Salted commitments stay what they are for: hiding a document's contents.
/// @dev A number is up to 32 ASCII bytes, left-aligned in a bytes32 and padded with zero bytes
/// (as `bytes32("COSU6012345")` in Solidity or `"COSU6012345".encode().ljust(32, b"\0")` in
/// Python). Normalising upper-cases a-z and drops spaces, '-', '.' and '/'; what is left must be
/// A-Z and 0-9, at least one character, and nothing may follow the first zero byte.
/// `eport.keys` computes the same keys off the chain.
library DocumentKeys {
    /// @notice The number is empty once normalised.
    error DocumentKeysEmptyNumber();
    /// @notice The number has a byte that is not a letter, a digit or a separator at `index`
    /// (or a byte after the end of the number).
    error DocumentKeysBadCharacter(bytes32 number, uint256 index);

    /// @notice The normalised form of `number`, left-aligned and zero-padded.
    function normalise(bytes32 number) internal pure returns (bytes32 out) {
        uint256 raw = uint256(number);
        uint256 length; // characters written to `out`
        uint256 acc;
        for (uint256 i; i < 32; ++i) {
            uint256 c = (raw >> (248 - 8 * i)) & 0xff;
            if (c == 0) {
                // The number ends at its first zero byte: only zero bytes may follow (one
                // number, one way to write it); no need to read them one by one.
                if (raw << (8 * i) != 0) revert DocumentKeysBadCharacter(number, _firstAfter(raw, i));
                break;
            }
            if (c == 0x20 || c == 0x2d || c == 0x2e || c == 0x2f) continue; // space - . /
            if (c >= 0x61 && c <= 0x7a) c -= 0x20; // a-z -> A-Z
            else if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39))) {
                revert DocumentKeysBadCharacter(number, i);
            }
            acc = (acc << 8) | c;
            unchecked {
                ++length; // at most 32
            }
        }
        if (length == 0) revert DocumentKeysEmptyNumber();
        out = bytes32(acc << (8 * (32 - length)));
    }

    /// @dev The index of the first non-zero byte of `raw` after index `i` (one exists).
    function _firstAfter(uint256 raw, uint256 i) private pure returns (uint256 j) {
        j = i + 1;
        while ((raw >> (248 - 8 * j)) & 0xff == 0) ++j;
    }

    /// @notice The register key of document `number` issued by `issuer` (the carrier of a
    /// transport document, the seller of an invoice).
    function key(address issuer, bytes32 number) internal pure returns (bytes32) {
        return keccak256(abi.encode(issuer, normalise(number)));
    }
}
