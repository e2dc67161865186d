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
}
