// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAllianceMembers} from "../../interfaces/IAllianceMembers.sol";
import {IAllianceRegistry} from "../../interfaces/IAllianceRegistry.sol";
import {IBankingCalendar} from "../../interfaces/IBankingCalendar.sol";
import {ShanghaiDays} from "./ShanghaiDays.sol";

/// @title The alliance's banking-day calendar (Shanghai time, UTC+8).
/// @notice See {IBankingCalendar}. Storage is one bit per day: a set bit flips the day's default
/// (weekday open, weekend closed), so a holiday on a weekday and a working Saturday cost the same
/// and `bankingDayAfter` reads one word per 256 days.
/// @dev Changes are proposals voted by the alliance's members, counted like the registry's own
/// (a strict majority of active members; a removed member's vote no longer counts). One code
/// path checks a change when it is proposed and makes it on the deciding vote (`_change`): it
/// flips the days, checks that no run of closed days is too long, and at proposal flips them
/// back. Votes are refused while the system is paused, like every other change of state.
contract BankingCalendar is IBankingCalendar {
    /// @notice How long a proposal stays open for votes.
    uint64 public constant VOTING_PERIOD = 7 days;
    /// @notice The most days one proposal may change (a year).
    uint256 public constant MAX_DAYS_PER_PROPOSAL = 366;
    /// @notice Close of the banks' business day, in seconds after midnight Shanghai time: a
    /// record received at or after 17:00 counts as received on the next banking day (UCP 600
    /// Art. 33: a bank need not accept a presentation outside its banking hours).
    uint256 public constant CLOSE_OF_BUSINESS = 17 hours;

    /// @dev How far `bankingDayAfter` looks before it gives up: with at most 16 closed days in
    /// a row, 21 banking days always lie within 21 * 17 = 357 days.
    uint256 private constant _MAX_SCAN_DAYS = 366;
    /// @dev The most banking days counted by arithmetic: 52 weeks of five (within 364 days).
    uint256 private constant _MAX_WEEKDAY_COUNT = 260;

    struct Proposal {
        uint16 proposer;
        bool closed;
        bool executed;
        uint64 deadline; // 0: no such proposal
        uint16[] voters; // members that voted yes, recounted against active members
        uint32[] dayList;
    }

    IAllianceRegistry private immutable _registry;

    /// @dev Day `d` is bit `d & 255` of word `d >> 8`; a set bit flips the weekday/weekend default.
    mapping(uint256 word => uint256 bits) private _flipped;

    uint256 private _proposalCount;
    mapping(uint256 proposalId => Proposal) private _proposals;
    mapping(uint256 proposalId => mapping(uint16 memberId => bool)) private _voted;

    constructor(IAllianceRegistry registry_) {
        _registry = registry_;
    }

    /// @notice The alliance registry this calendar asks for authorisation and for votes.
    function registry() external view returns (IAllianceRegistry) {
        return _registry;
    }

    // ------------------------------------------------------------------- proposals

    /// @inheritdoc IBankingCalendar
    function proposeDays(uint32[] calldata dayList, bool closed)
        external
        returns (uint256 proposalId)
    {
        uint16 memberId = _checkMember();
        uint256 n = dayList.length;
        if (n == 0) revert BankingCalendarEmptyList();
        if (n > MAX_DAYS_PER_PROPOSAL) {
            revert BankingCalendarTooManyDays(n, MAX_DAYS_PER_PROPOSAL);
        }
        for (uint256 i = 1; i < n; ++i) {
            if (dayList[i] <= dayList[i - 1]) revert BankingCalendarNotAscending(dayList[i]);
        }
        proposalId = ++_proposalCount;
        _change(dayList, closed, proposalId, false);

        Proposal storage p = _proposals[proposalId];
        p.proposer = memberId;
        p.closed = closed;
        p.deadline = uint64(block.timestamp) + VOTING_PERIOD;
        p.dayList = dayList;
        p.voters.push(memberId);
        _voted[proposalId][memberId] = true;
        emit DaysProposed(proposalId, memberId, dayList, closed);
        emit DaysVoted(proposalId, memberId);
        _tryExecute(proposalId, p);
    }

    /// @inheritdoc IBankingCalendar
    function voteDays(uint256 proposalId) external {
        uint16 memberId = _checkMember();
        Proposal storage p = _openProposal(proposalId);
        if (_voted[proposalId][memberId]) {
            revert BankingCalendarAlreadyVoted(proposalId, memberId);
        }

        _voted[proposalId][memberId] = true;
        p.voters.push(memberId);
        emit DaysVoted(proposalId, memberId);
        _tryExecute(proposalId, p);
    }

    /// @inheritdoc IBankingCalendar
    function executeDays(uint256 proposalId) external {
        _checkMember();
        Proposal storage p = _openProposal(proposalId);
        if (!_tryExecute(proposalId, p)) {
            revert BankingCalendarNoMajority(
                proposalId, _yesVotes(p), IAllianceMembers(address(_registry)).activeMemberCount()
            );
        }
    }

    /// @inheritdoc IBankingCalendar
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
        )
    {
        Proposal storage p = _proposals[proposalId];
        if (p.deadline == 0) revert BankingCalendarUnknownProposal(proposalId);
        return (p.dayList, p.closed, p.proposer, p.executed, p.deadline, _yesVotes(p));
    }

    /// @inheritdoc IBankingCalendar
    function proposalCount() external view returns (uint256) {
        return _proposalCount;
    }

    /// @inheritdoc IBankingCalendar
    function hasVoted(uint256 proposalId, uint16 memberId) external view returns (bool) {
        return _voted[proposalId][memberId];
    }

    // ----------------------------------------------------------------------- views

    /// @inheritdoc IBankingCalendar
    function isBankingDay(uint32 day) external view returns (bool) {
        return _isBankingDay(day);
    }

    /// @notice True if weekday `day` is a declared holiday.
    function isHoliday(uint32 day) external view returns (bool) {
        return !ShanghaiDays.isWeekend(day) && _isFlipped(day);
    }

    /// @inheritdoc IBankingCalendar
    function bankingDayAfter(uint32 day, uint256 count) external view returns (uint32) {
        return uint32(_bankingDayAfter(day, count));
    }

    /// @inheritdoc IBankingCalendar
    function extended(uint64 lastMoment) external view returns (uint64) {
        uint256 day = ShanghaiDays.dayOf(lastMoment);
        if (_isBankingDay(day)) return lastMoment;
        return uint64(ShanghaiDays.endOf(_bankingDayAfter(day, 1)));
    }

    /// @inheritdoc IBankingCalendar
    function deadlineAfter(uint64 receivedAt, uint256 count) external view returns (uint64) {
        // The day of receipt is the first banking day on or after `day` (the next calendar day
        // after close of business), so the deadline is the (count + 1)-th banking day after
        // the day before it.
        uint256 day;
        unchecked {
            // A 64-bit time plus 8 hours: no overflow; a time before 17:00 of day 0 (1970) is
            // no presentation, so day > 0 when it is moved back.
            uint256 shanghai = uint256(receivedAt) + ShanghaiDays.UTC_OFFSET;
            day = shanghai / 1 days;
            if (shanghai % 1 days < CLOSE_OF_BUSINESS) --day;
        }
        return uint64(ShanghaiDays.endOf(_bankingDayAfter(day, count + 1)));
    }

    /// @inheritdoc IBankingCalendar
    function dayOf(uint64 timestamp) external pure returns (uint32) {
        return uint32(ShanghaiDays.dayOf(timestamp));
    }

    /// @inheritdoc IBankingCalendar
    function endOfDay(uint32 day) external pure returns (uint64) {
        return uint64(ShanghaiDays.endOf(day));
    }

    // -------------------------------------------------------------------- internal

    /// @dev The `count`-th banking day strictly after `day`. Most spans hold no holiday and no
    /// working weekend day: the `count`-th weekday is then found by arithmetic and one read of
    /// the flip bits confirms it. Otherwise the days are walked one by one.
    function _bankingDayAfter(uint256 day, uint256 count) private view returns (uint256) {
        if (count == 0) return day;
        // Beyond 52 weeks of weekdays the answer may lie more than 366 days ahead: walk.
        if (count > _MAX_WEEKDAY_COUNT) return _walk(day, count);
        uint256 found;
        unchecked {
            // day < 2**64 / 1 days and count <= 260: no overflow; from >= day - 2 >= 0 since
            // only a weekend day (day >= 2: day 0 was a Thursday) moves back.
            uint256 from = day;
            uint256 weekday = (day + 3) % 7; // 0 = Monday (day 0 was a Thursday)
            if (weekday > 4) {
                // A weekend day: count from the Friday before (no weekday lies between).
                from = day - (weekday - 4);
                weekday = 4;
            }
            uint256 rest = count % 5;
            // Whole weeks of five weekdays, then the rest, over a weekend if it is crossed.
            found = from + (count / 5) * 7 + rest;
            if (weekday + rest > 4) found += 2;
        }
        if (_noFlips(day + 1, found)) return found;
        return _walk(day, count);
    }

    /// @dev True if no day in [first, last] is flipped; false also when the span covers more
    /// than two 256-day words (then the caller walks).
    function _noFlips(uint256 first, uint256 last) private view returns (bool) {
        uint256 w0 = first >> 8;
        uint256 w1 = last >> 8;
        unchecked {
            // Bit masks: 1 << 256 is 0 in the EVM, so a full word's mask is 0 - 1 = all ones.
            uint256 fromFirst = ~((uint256(1) << (first & 255)) - 1);
            uint256 toLast = (uint256(1) << ((last & 255) + 1)) - 1;
            if (w0 == w1) return _flipped[w0] & fromFirst & toLast == 0;
            if (w1 != w0 + 1) return false;
            return _flipped[w0] & fromFirst == 0 && _flipped[w1] & toLast == 0;
        }
    }

    /// @dev The `count`-th banking day strictly after `day`, day by day, reading the flip bits
    /// one 256-day word at a time.
    function _walk(uint256 day, uint256 count) private view returns (uint256 d) {
        d = day;
        uint256 left = count;
        uint256 last = d + _MAX_SCAN_DAYS;
        uint256 weekday = (d + 4) % 7; // 0 = Sunday
        uint256 word = type(uint256).max;
        uint256 bits;
        while (left != 0) {
            if (d == last) revert BankingCalendarNoBankingDay(uint32(day), count);
            unchecked {
                // d < day + 366 < 2**33 and weekday < 7: no overflow.
                ++d;
                weekday = weekday == 6 ? 0 : weekday + 1;
            }
            if (d >> 8 != word) {
                word = d >> 8;
                bits = _flipped[word];
            }
            bool weekend = weekday == 0 || weekday == 6;
            bool flipped = (bits >> (d & 255)) & 1 == 1;
            unchecked {
                // left > 0 in the loop.
                if (weekend == flipped) --left;
            }
        }
    }

    /// @dev Checks (and, if `commit`, makes) the change of `dayList` (ascending) to closed or
    /// open. Only days after today change; at proposal every day must change, on the deciding
    /// vote a day already as proposed is skipped. The days are flipped first, then every run
    /// of closed days through a newly closed day is measured; at proposal the flips are undone.
    function _change(uint32[] memory dayList, bool closed, uint256 proposalId, bool commit)
        private
    {
        uint32 today = uint32(ShanghaiDays.dayOf(block.timestamp));
        uint256 n = dayList.length;
        for (uint256 i; i < n; ++i) {
            uint32 day = dayList[i];
            // Only the future may change: a day already counted must never move.
            if (day <= today) revert BankingCalendarPastDay(day, today);
            if (_isBankingDay(day) != closed) {
                if (!commit) revert BankingCalendarUnchanged(day);
                continue;
            }
            _flip(day);
            if (commit) emit BankingDaySet(day, !closed, proposalId);
        }
        // Opening a day only shortens runs of closed days; closing one may lengthen them.
        if (closed) _checkClosedRuns(dayList);
        if (!commit) {
            for (uint256 i; i < n; ++i) {
                _flip(dayList[i]);
            }
        }
    }

    /// @dev Reverts if any day of `dayList` (ascending, already applied) lies in a run of more
    /// than MAX_CLOSED_DAYS closed days. Each run is walked once.
    function _checkClosedRuns(uint32[] memory dayList) private view {
        uint256 max = ShanghaiDays.MAX_CLOSED_DAYS;
        uint256 checkedUntil;
        uint256 n = dayList.length;
        for (uint256 i; i < n; ++i) {
            uint256 day = dayList[i];
            if (day <= checkedUntil || _isBankingDay(day)) continue;
            uint256 run = 1;
            uint256 d = day;
            // Both walks stop after max + 1 closed days, and day > today > 0.
            while (!_isBankingDay(--d)) {
                if (++run > max) revert BankingCalendarClosedTooLong(uint32(day), max);
            }
            d = day;
            while (!_isBankingDay(++d)) {
                if (++run > max) revert BankingCalendarClosedTooLong(uint32(day), max);
            }
            checkedUntil = d;
        }
    }

    function _tryExecute(uint256 proposalId, Proposal storage p) private returns (bool) {
        uint256 active = IAllianceMembers(address(_registry)).activeMemberCount();
        if (_yesVotes(p) * 2 <= active) return false;
        p.executed = true;
        _change(p.dayList, p.closed, proposalId, true);
        emit DaysChanged(proposalId);
        return true;
    }

    /// @dev Yes-votes of members still active: a removed member's vote no longer counts.
    function _yesVotes(Proposal storage p) private view returns (uint256 yes) {
        IAllianceMembers members = IAllianceMembers(address(_registry));
        uint256 n = p.voters.length;
        for (uint256 i; i < n; ++i) {
            (, bool active,,) = members.memberOf(p.voters[i]);
            if (active) ++yes;
        }
    }

    function _openProposal(uint256 proposalId) private view returns (Proposal storage p) {
        p = _proposals[proposalId];
        if (p.deadline == 0) revert BankingCalendarUnknownProposal(proposalId);
        if (p.executed) revert BankingCalendarProposalExecuted(proposalId);
        if (block.timestamp > p.deadline) {
            revert BankingCalendarProposalExpired(proposalId, p.deadline);
        }
    }

    /// @dev An operator of an active member (any kind), while the system is not paused.
    function _checkMember() private view returns (uint16 memberId) {
        IAllianceRegistry.MemberKind kind;
        bool paused;
        (kind, memberId,, paused) = _registry.accessOf(msg.sender);
        if (paused) revert BankingCalendarPaused();
        if (kind == IAllianceRegistry.MemberKind.None) {
            revert BankingCalendarUnauthorized(msg.sender);
        }
    }

    function _flip(uint256 day) private {
        _flipped[day >> 8] ^= 1 << (day & 255);
    }

    function _isBankingDay(uint256 day) private view returns (bool) {
        return ShanghaiDays.isWeekend(day) == _isFlipped(day);
    }

    function _isFlipped(uint256 day) private view returns (bool) {
        return (_flipped[day >> 8] >> (day & 255)) & 1 == 1;
    }
}
