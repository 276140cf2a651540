// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title The alliance's banking-day calendar (Shanghai time).
/// @notice A banking day is a day the alliance's banks are open (UCP 600 Art. 2): Monday to
/// Friday, except the public holidays the alliance declares, plus the weekend days it declares
/// working days (China moves weekend days around its Golden Week and Spring Festival holidays).
/// Days are Shanghai day numbers: `(timestamp + 8 hours) / 1 days` (UTC+8, no daylight saving).
/// Government and central-bank member operators keep the calendar; only future days may change,
/// so no deadline that has already passed can move.
interface IBankingCalendar {
    /// @notice Emitted when a weekday is made a holiday (`closed`) or a working day again.
    event HolidaySet(uint32 indexed day, bool closed, uint16 indexed memberId);

    /// @notice Emitted when a weekend day is made a working day (`open`) or a weekend day again.
    event WorkingWeekendDaySet(uint32 indexed day, bool open, uint16 indexed memberId);

    error BankingCalendarPaused();
    error BankingCalendarUnauthorized(address account);
    error BankingCalendarEmptyList();
    error BankingCalendarPastDay(uint32 day, uint32 today);
    error BankingCalendarNotAWeekday(uint32 day);
    error BankingCalendarNotAWeekendDay(uint32 day);
    error BankingCalendarUnchanged(uint32 day);
    error BankingCalendarNoBankingDay(uint32 fromDay, uint256 count);

    /// @notice Declare weekdays `dayList` holidays (`closed` true) or working days again (false).
    /// @dev Government or CentralBank member operators only; each day must be a weekday after
    /// today and must change. Emits {HolidaySet} per day.
    function setHolidays(uint32[] calldata dayList, bool closed) external;

    /// @notice Declare weekend days `dayList` working days (`open` true) or weekend days again.
    /// @dev Same rules as {setHolidays}, for Saturdays and Sundays. Emits {WorkingWeekendDaySet}.
    function setWorkingWeekendDays(uint32[] calldata dayList, bool open) external;

    /// @notice True if banks are open on Shanghai day `day`.
    function isBankingDay(uint32 day) external view returns (bool);

    /// @notice The `count`-th banking day strictly after Shanghai day `day`.
    /// @dev Reverts with {BankingCalendarNoBankingDay} if none is found within 366 days.
    function bankingDayAfter(uint32 day, uint256 count) external view returns (uint32);

    /// @notice The Shanghai day number of `timestamp`.
    function dayOf(uint64 timestamp) external pure returns (uint32);

    /// @notice The last second of Shanghai day `day`, as a Unix timestamp.
    function endOfDay(uint32 day) external pure returns (uint64);
}
