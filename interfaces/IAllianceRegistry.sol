// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title The E-Port alliance registry: one source of truth for who may do what.
/// @notice Members are organisations (customs, the central bank, government departments,
/// commercial banks), each acting through one or more operator addresses. Members admit and
/// remove members, change operators and pause the system by majority vote; they register
/// participants (traders, carriers, declarants) after their own checks and may suspend them.
/// Every other contract asks `accessOf` (one external call) before acting.
interface IAllianceRegistry {
    enum MemberKind {
        None,
        Customs,
        CentralBank,
        Government,
        CommercialBank
    }

    /// Participant roles are bits so one participant can hold several.
    /// EXPORTER = 1, IMPORTER = 2, CARRIER = 4, DECLARANT = 8.

    /// @notice Everything a contract needs to authorise `account`, in one call.
    /// @return kind the kind of the active member `account` operates for (None if it does not)
    /// @return memberId that member's id (0 if none)
    /// @return roles the participant role bits of `account` (0 if unregistered or suspended)
    /// @return systemPaused true while the alliance has paused the whole system
    function accessOf(address account)
        external
        view
        returns (MemberKind kind, uint16 memberId, uint8 roles, bool systemPaused);

    /// @notice True if `account` may hold and receive CNY deposit tokens: an active member
    /// operator, an active (not suspended) participant, or a system contract the alliance
    /// registered (the letter-of-credit and financing contracts hold escrow).
    function canHoldTokens(address account) external view returns (bool);

    /// @notice True while the alliance has paused the whole system.
    function paused() external view returns (bool);

    /// @notice True if the alliance registered `target` as one of its system contracts.
    function isSystemContract(address target) external view returns (bool);

    /// @notice Seconds of the interval [`from`, `to`) during which the whole system was paused
    /// (a pause still running counts up to now). Contracts stop their clocks with it: a
    /// deadline `d` of a clock that started at `s` has passed at time `t` only when
    /// `t > d + pausedBetween(s, t)` (UCP 600 Art. 36: no party is precluded for the time it
    /// could not act). Cheap when nothing was paused: it reads one slot and the last pause.
    function pausedBetween(uint256 from, uint256 to) external view returns (uint256);

    // ----------------------------------------------------------------- bootstrap
    // The deployer (msg.sender of the constructor) is the bootstrapper: until it calls
    // `finishBootstrap` it may admit the founding members and register system contracts
    // without votes, so a deployment can wire everything in one go. After that, only votes.

    /// @notice Admit a founding member without a vote (bootstrapper only, before finishing).
    function bootstrapMember(MemberKind kind, bytes32 nameHash, address[] calldata operators)
        external
        returns (uint16 memberId);

    /// @notice Register or deregister a system contract without a vote (bootstrapper only).
    function bootstrapSystemContract(address target, bool enabled) external;

    /// @notice End the bootstrap for good: from now on every change takes a vote.
    function finishBootstrap() external;

    // -------------------------------------------------------------- participants
    // A participant answers to the member that registered it: only that member (or an
    // alliance vote, `SetParticipantRoles`) changes its roles. Any member may suspend it (an
    // alarm anyone can pull); only the suspending member (or a vote, `ReinstateParticipant`)
    // lifts the suspension. Member ids are never reused, so once that member has left the
    // alliance only a vote can act. These three stop while the system is paused; votes do not.

    /// @notice Register `account` with participant role bits (any active member operator), or
    /// change the roles of a participant the caller's member registered. Reverts with
    /// `AllianceNotRegistrar` for a participant another member registered and with
    /// `AllianceParticipantSuspended` while it is suspended. Emits {ParticipantRegistered}.
    function registerParticipant(address account, uint8 roles) external;

    /// @notice Suspend a participant (any active member operator); it keeps its registration
    /// and roles but loses them in `accessOf` and may not hold tokens. The caller's member is
    /// recorded as the suspender. Emits {ParticipantSuspended}.
    function suspendParticipant(address account) external;

    /// @notice Lift a suspension: only an operator of the member that imposed it (else
    /// `AllianceNotSuspender`). Emits {ParticipantReinstated}.
    function reinstateParticipant(address account) external;
}
