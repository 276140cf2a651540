// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title The side of customs clearance that banks and other contracts rely on.
/// @notice Anyone on the chain can read a declaration's status, trader, declared value and
/// flags: this is how a bank checks a trade before financing it. Customs also keeps the two
/// registers that make "one shipment, one use" a rule of the chain: each transport document
/// backs one live declaration per flow, and each declaration's value is used once, across all
/// credits and all financings of all banks ({consume}).
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
    /// `flagged` is set by a post-clearance audit; `underAudit` while one is open. `consumed`:
    /// how much of the declared value (same units) presentations and financings have used.
    struct DeclarationSummary {
        Status status;
        Flow flow;
        bool flagged;
        bool underAudit;
        address trader;
        bytes3 currency;
        uint128 declaredValue;
        uint128 consumed;
    }

    /// @notice The summary of declaration `id`; reverts with the contract's
    /// `CustomsUnknownDeclaration(id)` if there is none.
    function summaryOf(uint256 id) external view returns (DeclarationSummary memory);

    /// @notice Use `units` (minor units of its currency) of declaration `id`'s declared value:
    /// a letter of credit when documents are presented against it, the trade finance contract
    /// when it finances the declaration's receivable. Alliance system contracts only (else
    /// `CustomsNotSystemContract`), and Released declarations only (else
    /// `CustomsWrongStatus(id, status)`). A non-zero `transportDoc` must be the declaration's own
    /// transport document key (else `CustomsTransportDocumentMismatch`). Reverts
    /// `CustomsValueExhausted(id, units, remaining)` when `units` is zero or more than is left.
    /// Emits `DeclarationValueConsumed`.
    /// @return consumed what is used of the declaration's value now
    function consume(uint256 id, bytes32 transportDoc, uint256 units)
        external
        returns (uint256 consumed);

    /// @notice Give back `units` a caller consumed and no longer uses (the documents of a
    /// refused presentation went back). Alliance system contracts only. Emits
    /// `DeclarationValueRestored`.
    function restore(uint256 id, uint256 units) external returns (uint256 consumed);

    /// @notice The latest export and import declarations that carried transport document
    /// `transportDoc` (0: none); at most one of each flow is live (not withdrawn or rejected).
    function transportDocumentOf(bytes32 transportDoc)
        external
        view
        returns (uint256 exportId, uint256 importId);

    /// @notice The register key of transport document `number` issued by `carrier`
    /// (see `DocumentKeys`: the number is normalised first).
    function transportDocumentKey(address carrier, bytes32 number)
        external
        pure
        returns (bytes32);
}
