// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title The alliance's banking-day calendar (Shanghai time).
/// @notice A banking day is a day the alliance's banks are open (UCP 600 Art. 2): Monday to
/// Friday, except the public holidays the alliance declares, plus the weekend days it declares
/// working days (China moves weekend days around its Golden Week and Spring Festival holidays).
/// Days are Shanghai day numbers: `(timestamp + 8 hours) / 1 days` (UTC+8, no daylight saving).
///
/// The calendar changes only by a vote of the alliance: any active member operator proposes
/// to close or open a list of future days, members vote, and the change is made once a strict
/// majority of the registry's active members has voted yes (no single government or
/// central-bank operator can move a day). Only days after today may change, and no change may
/// close more than `ShanghaiDays.MAX_CLOSED_DAYS` (16) days in a row, so `bankingDayAfter`
/// always finds any count up to 21 banking days within its 366-day scan.
interface IBankingCalendar {
    /// @notice Emitted when a member proposes to close (`closed`) or open days `dayList`.
    event DaysProposed(
        uint256 indexed proposalId, uint16 indexed memberId, uint32[] dayList, bool closed
    );

    /// @notice Emitted for each yes vote, the proposer's included.
    event DaysVoted(uint256 indexed proposalId, uint16 indexed memberId);

    /// @notice Emitted when a proposal reached its majority and the calendar changed.
    event DaysChanged(uint256 indexed proposalId);

    /// @notice Emitted for each day the calendar changed: now open (a banking day) or closed.
    event BankingDaySet(uint32 indexed day, bool open, uint256 indexed proposalId);

    error BankingCalendarPaused();
    error BankingCalendarUnauthorized(address account);
    error BankingCalendarEmptyList();
    error BankingCalendarTooManyDays(uint256 count, uint256 max);
    error BankingCalendarNotAscending(uint32 day);
    error BankingCalendarPastDay(uint32 day, uint32 today);
    error BankingCalendarUnchanged(uint32 day);
    error BankingCalendarClosedTooLong(uint32 day, uint256 maxClosedDays);
    error BankingCalendarUnknownProposal(uint256 proposalId);
    error BankingCalendarProposalExecuted(uint256 proposalId);
    error BankingCalendarProposalExpired(uint256 proposalId, uint64 deadline);
    error BankingCalendarAlreadyVoted(uint256 proposalId, uint16 memberId);
    error BankingCalendarNoMajority(uint256 proposalId, uint256 yesVotes, uint256 activeMembers);
    error BankingCalendarNoBankingDay(uint32 fromDay, uint256 count);

    /// @notice Propose to close (`closed` true) or open (false) the Shanghai days `dayList`:
    /// closing a weekday makes it a holiday, opening a weekend day makes it a working day, and
    /// the reverse undoes either. The caller's member votes yes at once; the change is made as
    /// soon as a strict majority of active members has voted yes.
    /// @dev Any active member operator, not while the system is paused. `dayList` is strictly
    /// ascending, at most 366 days, each after today and each changed by the proposal, and
    /// the result closes no more than 16 days in a row. Open for 7 days. Emits {DaysProposed},
    /// {DaysVoted} and, when it passes at once, {DaysChanged} and {BankingDaySet} per day.
    function proposeDays(uint32[] calldata dayList, bool closed)
        external
        returns (uint256 proposalId);

    /// @notice Vote yes on an open calendar proposal for the caller's member; the change is
    /// made if this vote makes the majority.
    /// @dev Any active member operator, once per member, not while paused. On the deciding vote
    /// the days are checked again: a day now past reverts with {BankingCalendarPastDay}, a day
    /// already as proposed is left as it is, and the 16-day limit holds. Emits {DaysVoted}.
    function voteDays(uint256 proposalId) external;

    /// @notice Make the change of an open proposal that has a majority without a new vote
    /// (after the alliance shrank, earlier votes may be a majority).
    /// @dev Any active member operator, not while paused. Emits {DaysChanged}.
    function executeDays(uint256 proposalId) external;

    /// @notice A calendar proposal: its days, direction, proposing member, whether it was
    /// carried out, its voting deadline and the yes-votes of members still active.
    function proposalOf(uint256 proposalId)
        external
        view
        returns (
            uint32[] memory dayList,
            bool closed,
            uint16 proposer,
            bool executed,
            uint64 deadline,
            uint256 yesVotes
        );

    /// @notice The number of calendar proposals made so far (ids start at 1).
    function proposalCount() external view returns (uint256);

    /// @notice True if member `memberId` voted yes on calendar proposal `proposalId`.
    function hasVoted(uint256 proposalId, uint16 memberId) external view returns (bool);

    /// @notice True if banks are open on Shanghai day `day`.
    function isBankingDay(uint32 day) external view returns (bool);

    /// @notice The `count`-th banking day strictly after Shanghai day `day` (`day` for 0).
    /// @dev Reverts with {BankingCalendarNoBankingDay} when it must look more than 366 days
    /// ahead, which cannot happen for a count up to 21 (no more than 16 closed days in a row).
    function bankingDayAfter(uint32 day, uint256 count) external view returns (uint32);

    /// @notice Art. 29a: `lastMoment` if the banks are open on its Shanghai day, else the end
    /// of the first banking day after it.
    function extended(uint64 lastMoment) external view returns (uint64);

    /// @notice The end of the `count`-th banking day following the day a record received at
    /// `receivedAt` counts as received (Art. 14b, 33): that day if it is a banking day and the
    /// record came before close of business (17:00 Shanghai, CLOSE_OF_BUSINESS; before opening
    /// counts as that day), else the next banking day.
    function deadlineAfter(uint64 receivedAt, uint256 count) external view returns (uint64);

    /// @notice The Shanghai day number of `timestamp`.
    function dayOf(uint64 timestamp) external pure returns (uint32);

    /// @notice The last second of Shanghai day `day`, as a Unix timestamp.
    function endOfDay(uint32 day) external pure returns (uint64);
}
