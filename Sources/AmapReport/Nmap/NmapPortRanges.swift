/// nmap's compact port list, as in `extrareasons/@ports`: sorted, runs joined as `A-B`, separated by commas.
enum NmapPortRanges {
    /// `[22, 23, 24, 80]` → `22-24,80`; duplicates are dropped.
    static func text(_ ports: [UInt16]) -> String {
        let sorted = Array(Set(ports)).sorted()
        var parts: [String] = []
        var index = 0
        while index < sorted.count {
            let first = sorted[index]
            var last = first
            while index + 1 < sorted.count, sorted[index + 1] == last + 1 {
                index += 1
                last = sorted[index]
            }
            parts.append(first == last ? "\(first)" : "\(first)-\(last)")
            index += 1
        }
        return parts.joined(separator: ",")
    }
}
