import AmapKit
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The resume journal (`--journal FILE`, `--resume FILE`): one JSON line per finished endpoint, appended with one
/// `write(2)` as each endpoint finishes, so even SIGKILL loses at most the endpoints in flight.
///
/// Line format: `{"host":"…","port":22,"transport":"tcp"}`. The host is the target as given (a name stays a name),
/// so a resumed scan skips the same (target, port) pairs even if a name now resolves elsewhere.
struct ScanJournal {
    /// What identifies a finished endpoint in the journal.
    struct Key: Hashable, Sendable {
        var host: String
        var port: UInt16
        var transport: Transport

        init(_ endpoint: Endpoint) {
            host = endpoint.host
            port = endpoint.port
            transport = endpoint.transport
        }

        init(host: String, port: UInt16, transport: Transport) {
            self.host = host
            self.port = port
            self.transport = transport
        }
    }

    /// Why a journal cannot be used.
    enum Failure: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case malformed(path: String, line: Int, text: String)
        case unwritable(path: String, reason: String)

        var description: String {
            switch self {
            case .unreadable(let path, let reason): return "cannot read journal '\(path)': \(reason)"
            case .malformed(let path, let line, let text):
                return "journal '\(path)', line \(line): not a journal record: '\(text.prefix(80))'"
            case .unwritable(let path, let reason): return "cannot write journal '\(path)': \(reason)"
            }
        }
    }

    private let descriptor: Int32
    /// The endpoints the journal already held when it was opened.
    let finished: Set<Key>

    /// Opens `path` for appending; with `resuming`, reads the endpoints it already holds (a missing file is an
    /// empty journal). A last line cut short by a crash is ignored; any other bad line is an error.
    init(path: String, resuming: Bool) throws(Failure) {
        var finished = Set<Key>()
        if resuming, FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .unreadable(path: path, reason: "permission denied")
            }
            let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() where !line.isEmpty {
                if let key = Self.parse(Data(line)) {
                    finished.insert(key)
                } else if index == lines.count - 1 {
                    continue  // the partial last line of a killed run: that endpoint is scanned again
                } else {
                    throw .malformed(path: path, line: index + 1, text: String(decoding: line, as: UTF8.self))
                }
            }
        }
        let flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (resuming ? 0 : O_TRUNC)
        let descriptor = open(path, flags, 0o644)
        guard descriptor >= 0 else { throw .unwritable(path: path, reason: String(cString: strerror(errno))) }
        self.descriptor = descriptor
        self.finished = finished
        // A journal cut mid-line by SIGKILL: start the next record on a line of its own.
        if resuming, let data = FileManager.default.contents(atPath: path), let last = data.last, last != 0x0A {
            Self.writeAll(descriptor, [0x0A])
        }
    }

    /// Appends `endpoint` as finished.
    func record(_ endpoint: Endpoint) {
        let object: [String: Any] = ["host": endpoint.host, "port": Int(endpoint.port),
                                     "transport": endpoint.transport.rawValue]
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        line.append(0x0A)
        Self.writeAll(descriptor, Array(line))
    }

    /// Closes the file.
    func close() {
        closeDescriptor(descriptor)
    }

    static func parse(_ line: Data) -> Key? {
        guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
            let host = object["host"] as? String, let port = object["port"] as? Int,
            let transportText = object["transport"] as? String, let transport = Transport(rawValue: transportText),
            let port16 = UInt16(exactly: port)
        else { return nil }
        return Key(host: host, port: port16, transport: transport)
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, base + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}

/// The endpoints of a scan minus those a journal lists as finished; lazy like the sequence it filters.
struct RemainingEndpoints<Base: Sequence & Sendable>: Sequence, Sendable where Base.Element == Endpoint {
    let base: Base
    let finished: Set<ScanJournal.Key>

    func makeIterator() -> AnyIterator<Endpoint> {
        var iterator = base.makeIterator()
        let finished = finished
        return AnyIterator {
            while let endpoint = iterator.next() {
                if !finished.contains(ScanJournal.Key(endpoint)) { return endpoint }
            }
            return nil
        }
    }
}

/// `close(2)`, out of reach of the journal's own `close()`.
private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
