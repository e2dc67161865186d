#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an nmap-service-probes file as raw bytes (never decoded: the file is 8-bit data).
enum ServiceProbesFileReader {
    /// nmap's own file is about 2.5 MB; a file past this size is not a probe file, and reading it would only
    /// waste memory.
    static let maximumFileSize = 64 * 1024 * 1024

    /// The file's bytes, or the reason it could not be read (errno's text).
    static func read(path: String) throws(SignatureFileError) -> [UInt8] {
        guard let file = fopen(path, "rb") else {
            throw .unreadable(path: path, reason: reason(errno))
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            bytes += chunk[..<count]
            guard bytes.count <= maximumFileSize else {
                throw .unreadable(path: path, reason: "larger than \(maximumFileSize / (1024 * 1024)) MiB; "
                    + "this is not an nmap-service-probes file")
            }
            if count < chunk.count {
                if ferror(file) != 0 { throw .unreadable(path: path, reason: reason(errno)) }
                return bytes
            }
        }
    }

    private static func reason(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        let length = strlen(text)
        return String(decoding: UnsafeRawBufferPointer(start: text, count: length), as: UTF8.self)
    }
}
