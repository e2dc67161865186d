import AmapModel

/// Random access into a ``PortList``: TCP ports ascending, then UDP ports ascending.
struct PortIndex: Sendable {
    /// Each range with its transport, in enumeration order.
    private let segments: [(range: ClosedRange<UInt16>, transport: Transport)]
    /// `starts[i]` is the position of `segments[i].range.lowerBound`; one extra entry holds the count.
    private let starts: [Int]

    init(_ list: PortList) {
        var segments: [(range: ClosedRange<UInt16>, transport: Transport)] = []
        var starts: [Int] = []
        var position = 0
        for transport in Transport.allCases {
            for range in list[transport].ranges {
                segments.append((range, transport))
                starts.append(position)
                position += range.count
            }
        }
        starts.append(position)
        self.segments = segments
        self.starts = starts
    }

    /// The number of (port, transport) pairs.
    var count: Int { starts[starts.count - 1] }

    /// The pair at `position` (0 ..< count); binary search over the ranges.
    subscript(position: Int) -> (port: UInt16, transport: Transport) {
        var low = 0
        var high = segments.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= position { low = middle } else { high = middle - 1 }
        }
        let segment = segments[low]
        return (UInt16(Int(segment.range.lowerBound) + position - starts[low]), segment.transport)
    }
}
