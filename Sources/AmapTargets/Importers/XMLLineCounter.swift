/// 1-based line numbers of byte offsets, counted incrementally.
///
/// The reader asks for the lines of increasing offsets, so each byte is counted once over a whole document.
/// A line ends at LF, CRLF (one line, not two) or a lone CR, as XML's end-of-line handling reads them.
struct XMLLineCounter {
    private var offset = 0
    private var line = 1

    /// The line of the byte at `target` in `bytes`.
    mutating func line(at target: Int, in bytes: [UInt8]) -> Int {
        if target < offset {
            // Not needed by the reader (its queries only move forward), but stays correct if one goes back.
            offset = 0
            line = 1
        }
        var index = offset
        var count = line
        let end = min(target, bytes.count)
        while index < end {
            let byte = bytes[index]
            index += 1
            // Almost every byte is above CR: one comparison each (this loop runs over the whole document).
            guard byte <= XMLByte.carriageReturn else { continue }
            if byte == XMLByte.lineFeed {
                count += 1
            } else if byte == XMLByte.carriageReturn, index >= bytes.count || bytes[index] != XMLByte.lineFeed {
                count += 1
            }
        }
        offset = index
        line = count
        return count
    }
}
