import Foundation

/// amap's timestamp: `YYYY-MM-DD HH:MM:SS` in a given time zone (amap uses local time).
public enum ReportTimestamp {
    /// Formats `date` as amap does, in `timeZone`.
    public static func amap(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String {
            let number = value ?? 0
            return number < 10 ? "0\(number)" : "\(number)"
        }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))"
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// C `ctime()` style without the newline, as nmap's `startstr`/`timestr` use: `Thu Nov 26 13:55:49 2026`.
    public static func ctime(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.weekday, .year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String {
            let number = value ?? 0
            return number < 10 ? "0\(number)" : "\(number)"
        }
        let weekday = weekdays[((parts.weekday ?? 1) - 1) % 7]
        let month = months[((parts.month ?? 1) - 1) % 12]
        let day = parts.day ?? 0
        let paddedDay = day < 10 ? " \(day)" : "\(day)"
        return "\(weekday) \(month) \(paddedDay) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) "
            + "\(parts.year ?? 0)"
    }

    /// RFC 3339 in UTC with milliseconds, as JSON Lines' `timestamp`: `2026-11-26T13:55:49.250Z`.
    public static func rfc3339(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let whole = Date(timeIntervalSince1970: seconds)
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: whole)
        let milliseconds = min(999, Int(((date.timeIntervalSince1970 - seconds) * 1_000).rounded(.down)))
        func padded(_ value: Int?, _ width: Int) -> String {
            let digits = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(parts.year, 4))-\(padded(parts.month, 2))-\(padded(parts.day, 2))T"
            + "\(padded(parts.hour, 2)):\(padded(parts.minute, 2)):\(padded(parts.second, 2))."
            + "\(padded(milliseconds, 3))Z"
    }
}
