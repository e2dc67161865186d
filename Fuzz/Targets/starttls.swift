/// The `--starttls` upgrade dialogues and the ServerHello cipher reader, on hostile server bytes.
///
/// The first byte picks the protocol; the rest is cut into server replies at each 0x00 0xFF pair. Each reply is fed
/// in every prefix (`isComplete` must never trap) and then whole; a dialogue that has ended is never fed again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStartTLS(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let selector = bytes.first else { return 0 }
    let kinds = StartTLSProtocol.allCases
    var dialogue = StartTLSDialogue(kinds[Int(selector) % kinds.count], serverName: "fuzz.invalid")
    var step = dialogue.start()
    var replies: [[UInt8]] = [[]]
    var index = 1
    while index < bytes.count {
        if bytes[index] == 0x00, index + 1 < bytes.count, bytes[index + 1] == 0xFF {
            replies.append([])
            index += 2
        } else {
            replies[replies.count - 1].append(bytes[index])
            index += 1
        }
    }
    for reply in replies {
        guard case .exchange = step else { break }
        for end in 0...min(reply.count, 64) { _ = dialogue.isComplete(Array(reply[..<end])) }
        step = dialogue.received(reply)
    }
    // Every refusal and failure names its reason in printable text (it reaches reports and terminals).
    switch step {
    case .refused(let reason), .failed(let reason):
        if reason.isEmpty || reason.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            fatalError("unprintable or empty reason: \(reason.debugDescription)")
        }
    case .exchange, .handshake:
        break
    }
    let tail = Array(bytes.dropFirst())
    if let suite = ServerHelloCipher.suite(in: tail) {
        if tail[0] != 0x16 || tail[5] != 0x02 { fatalError("a suite read from a non-ServerHello record") }
        _ = ServerHelloCipher.name(of: suite)
    }
    _ = ServerHelloCipher.hopeless(tail)
    return 0
}
