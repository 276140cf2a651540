// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title The central bank's freeze list, as the CNY deposit token exposes it.
interface IFreezeList {
    /// @notice True while the central bank has frozen `account`: it can neither send, receive,
    /// spend an allowance, mint nor approve.
    function isFrozen(address account) external view returns (bool);
}
