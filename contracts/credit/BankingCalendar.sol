// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAllianceRegistry} from "../../interfaces/IAllianceRegistry.sol";
import {IBankingCalendar} from "../../interfaces/IBankingCalendar.sol";
import {ShanghaiDays} from "./ShanghaiDays.sol";

/// @title The alliance's banking-day calendar (Shanghai time, UTC+8).
/// @notice See {IBankingCalendar}. Storage is one bit per day: a set bit flips the day's default
/// (weekday open, weekend closed), so a holiday on a weekday and a working Saturday cost the same
/// and `bankingDayAfter` reads one word per 256 days.
contract BankingCalendar is IBankingCalendar {
    /// @dev How far `bankingDayAfter` looks before it gives up (a year of holidays is a bug).
    uint256 private constant _MAX_SCAN_DAYS = 366;

    IAllianceRegistry private immutable _registry;

    /// @dev Day `d` is bit `d & 255` of word `d >> 8`; a set bit flips the weekday/weekend default.
    mapping(uint256 word => uint256 bits) private _flipped;

    constructor(IAllianceRegistry registry_) {
        _registry = registry_;
    }

    /// @notice The alliance registry this calendar asks for authorisation.
    function registry() external view returns (IAllianceRegistry) {
        return _registry;
    }

    /// @inheritdoc IBankingCalendar
    function setHolidays(uint32[] calldata dayList, bool closed) external {
        uint16 memberId = _checkKeeper();
        _setDays(dayList, closed, false, memberId);
    }

    /// @inheritdoc IBankingCalendar
    function setWorkingWeekendDays(uint32[] calldata dayList, bool open) external {
        uint16 memberId = _checkKeeper();
        _setDays(dayList, open, true, memberId);
    }

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
        uint256 found;
        uint256 d = day;
        uint256 last = uint256(day) + _MAX_SCAN_DAYS;
        while (found < count) {
            if (d == last) revert BankingCalendarNoBankingDay(day, count);
            unchecked {
                // d < day + 366 < 2**33: no overflow.
                ++d;
            }
            if (_isBankingDay(d)) ++found;
        }
        return uint32(d);
    }

    /// @inheritdoc IBankingCalendar
    function dayOf(uint64 timestamp) external pure returns (uint32) {
        return uint32(ShanghaiDays.dayOf(timestamp));
    }

    /// @inheritdoc IBankingCalendar
    function endOfDay(uint32 day) external pure returns (uint64) {
        return uint64(ShanghaiDays.endOf(day));
    }

    function _setDays(uint32[] calldata dayList, bool flip, bool weekend, uint16 memberId) private {
        uint256 n = dayList.length;
        if (n == 0) revert BankingCalendarEmptyList();
        uint32 today = uint32(ShanghaiDays.dayOf(block.timestamp));
        for (uint256 i; i < n; ++i) {
            uint32 day = dayList[i];
            // Only the future may change: a deadline already counted must never move.
            if (day <= today) revert BankingCalendarPastDay(day, today);
            if (ShanghaiDays.isWeekend(day) != weekend) {
                if (weekend) revert BankingCalendarNotAWeekendDay(day);
                revert BankingCalendarNotAWeekday(day);
            }
            if (_isFlipped(day) == flip) revert BankingCalendarUnchanged(day);
            _flipped[day >> 8] ^= 1 << (day & 255);
            if (weekend) emit WorkingWeekendDaySet(day, flip, memberId);
            else emit HolidaySet(day, flip, memberId);
        }
    }

    function _checkKeeper() private view returns (uint16) {
        (IAllianceRegistry.MemberKind kind, uint16 memberId,, bool paused) =
            _registry.accessOf(msg.sender);
        if (paused) revert BankingCalendarPaused();
        if (
            kind != IAllianceRegistry.MemberKind.Government
                && kind != IAllianceRegistry.MemberKind.CentralBank
        ) revert BankingCalendarUnauthorized(msg.sender);
        return memberId;
    }

    function _isBankingDay(uint256 day) private view returns (bool) {
        return ShanghaiDays.isWeekend(day) == _isFlipped(day);
    }

    function _isFlipped(uint256 day) private view returns (bool) {
        return (_flipped[day >> 8] >> (day & 255)) & 1 == 1;
    }
}
