import AmapReport
import ArgumentParser

/// The exit statuses of `amap`, documented in docs/exit-codes.md.
enum ExitStatus {
    /// The scan ran to its end (whatever it found, including nothing).
    static let completed: Int32 = 0
    /// `amap db check` found an error or an unreadable file.
    static let checkFailed: Int32 = 1
    /// Command-line usage error (ArgumentParser's validation: unknown option, bad value, missing target): EX_USAGE.
    static let usage: Int32 = 64
    /// Interrupted by SIGINT after flushing every result found (128 + SIGINT, the shell convention).
    static let interrupted: Int32 = 130
    /// Stopped by SIGTERM after flushing every result found (128 + SIGTERM).
    static let terminated: Int32 = 143
    /// A fatal set-up error before any probe was sent (amap 5.4 exits 255 on fatal errors): unreadable signature
    /// file, bad target or port, name that does not resolve, huge scan without `--allow-huge-scan`, unreadable or
    /// malformed `-i` file, unwritable output or journal, a `--proxy` that fails its check. Also a proxy that fails
    /// during the scan: the scan stops, with everything reported until then written.
    static let fatal: Int32 = 255
}

/// Reports a fatal set-up error as amap does (`Error: <message>` on stderr) and returns the exit to throw.
///
/// The message is escaped for the terminal: it may quote a target file or a signature file, whose bytes are the
/// user's input but can hold anything (an imported scan's host field, a NUL from a corrupted file).
enum FatalError {
    static func report(_ error: any Error) -> ExitCode {
        if let exit = error as? ExitCode { return exit }
        Terminal.standardError("Error: " + TerminalEscaping.escape(String(describing: error)))
        return ExitCode(ExitStatus.fatal)
    }
}

/// An error whose message already says everything, hints included.
struct HintedError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
