// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Calendar days in Shanghai time.
/// @notice Every UCP 600 clock on this chain counts calendar days and banking days at the place
/// of the alliance's banks: Shanghai, UTC+8 all year (China has had no daylight saving time since
/// 1991). A day number is `(timestamp + 8 hours) / 1 days`: day 0 is 1970-01-01 in Shanghai, which
/// was a Thursday. A Shanghai day `d` runs from `d * 1 days - 8 hours` to `endOf(d)` inclusive.
library ShanghaiDays {
    uint256 internal constant UTC_OFFSET = 8 hours;

    /// @notice The most days in a row the alliance's banking calendar may close (BankingCalendar
    /// refuses any change that would close more). China's longest holidays (Spring Festival,
    /// Golden Week) close 7 to 9 days with their weekends. So a last day moved past closed days
    /// (Art. 29a) moves at most 16 days, and 21 banking days always lie within 357 days.
    uint256 internal constant MAX_CLOSED_DAYS = 16;

    /// @notice The Shanghai day number of `timestamp`.
    function dayOf(uint256 timestamp) internal pure returns (uint256) {
        return (timestamp + UTC_OFFSET) / 1 days;
    }

    /// @notice The last second (Unix time) of Shanghai day `day`.
    function endOf(uint256 day) internal pure returns (uint256) {
        return (day + 1) * 1 days - UTC_OFFSET - 1;
    }

    /// @notice True if Shanghai day `day` is a Saturday or a Sunday.
    function isWeekend(uint256 day) internal pure returns (bool) {
        // (day + 4) % 7 is the weekday with 0 = Sunday, because day 0 was a Thursday.
        uint256 weekday = (day + 4) % 7;
        return weekday == 0 || weekday == 6;
    }
}
