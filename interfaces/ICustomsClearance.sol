// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title The read side of customs clearance that banks and other contracts rely on.
/// @notice Anyone on the chain can read a declaration's status, trader, declared value and
/// flags: this is how a bank checks a trade before financing it.
interface ICustomsClearanceView {
    enum Flow {
        Import,
        Export
    }

    enum Status {
        None,
        Lodged,
        Channelled,
        Inspected,
        Assessed,
        DutySecured,
        Released,
        Rejected,
        Withdrawn
    }

    /// @notice The public summary of a declaration.
    /// @dev `trader` is the exporter for exports and the importer for imports.
    /// `declaredValue` is in minor units of `currency` (ISO 4217, e.g. "CNY", "USD").
    /// `flagged` is set by a post-clearance audit; `underAudit` while one is open.
    struct DeclarationSummary {
        Status status;
        Flow flow;
        bool flagged;
        bool underAudit;
        address trader;
        bytes3 currency;
        uint128 declaredValue;
    }

    /// @notice The summary of declaration `id`; reverts with the contract's
    /// `CustomsUnknownDeclaration(id)` if there is none.
    function summaryOf(uint256 id) external view returns (DeclarationSummary memory);
}
