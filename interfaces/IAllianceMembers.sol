// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title The part of the alliance registry's membership a contract needs to count votes.
/// @dev AllianceRegistry implements it; it is declared apart so that {IAllianceRegistry} stays
/// as it is. BankingCalendar counts its own proposals' votes against it.
interface IAllianceMembers {
    /// @notice The number of active members, whose strict majority decides proposals.
    function activeMemberCount() external view returns (uint16);

    /// @notice Member `memberId`: its kind (IAllianceRegistry.MemberKind), whether it is
    /// active, its name hash and its operators.
    function memberOf(uint16 memberId)
        external
        view
        returns (uint8 kind, bool active, bytes32 nameHash, address[] memory operators);
}
