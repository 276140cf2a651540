// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ICustomsClearanceView} from "../../interfaces/ICustomsClearance.sol";

/// @title TEST DOUBLE ONLY: a customs declaration view whose summaries tests set directly.
/// @notice Never deploy outside tests. It stands in for CustomsClearance so the letter-of-credit
/// tests can put an export declaration in any status without driving the customs lifecycle.
contract TestDeclarations is ICustomsClearanceView {
    mapping(uint256 id => DeclarationSummary) private _summaries;

    error CustomsUnknownDeclaration(uint256 id);

    /// @notice Set (or overwrite) the summary of declaration `id`.
    function setSummary(uint256 id, DeclarationSummary calldata summary) external {
        _summaries[id] = summary;
    }

    /// @inheritdoc ICustomsClearanceView
    function summaryOf(uint256 id) external view returns (DeclarationSummary memory s) {
        s = _summaries[id];
        if (s.status == Status.None) revert CustomsUnknownDeclaration(id);
    }
}
