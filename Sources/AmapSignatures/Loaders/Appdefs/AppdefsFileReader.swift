#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole signature file into memory with plain POSIX calls, so the error says why (errno's text).
enum AppdefsFileReader {
    /// Why a file could not be read.
    enum Failure: Error {
        /// The file does not exist.
        case missing
        /// It exists but could not be read; the system's reason.
        case unreadable(String)
    }

    /// Signature files are small (amap's three total about 100 KB); anything past this is not a signature file.
    static let maximumFileSize = 64 * 1024 * 1024

    /// The file's bytes.
    static func read(path: String) -> Result<[UInt8], Failure> {
        guard let file = fopen(path, "rb") else {
            let code = errno
            return .failure(code == ENOENT ? .missing : .unreadable(reason(code)))
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            bytes += chunk[..<count]
            if bytes.count > maximumFileSize {
                return .failure(.unreadable("larger than \(maximumFileSize) bytes"))
            }
            if count < chunk.count {
                if ferror(file) != 0 { return .failure(.unreadable(reason(errno))) }
                return .success(bytes)
            }
        }
    }

    private static func reason(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
