import AmapModel
import Foundation

/// The built-in database's ONC RPC program list, `Resources/rpc-programs.txt`: one `name number` pair a line, an
/// optional `# note`, `#` comment lines. The built-in counterpart of amap's `appdefs.rpc`, read by the RPC pass.
public enum RPCProgramTable {
    /// The file's name, as reported in evidence.
    public static let fileName = "rpc-programs.txt"

    /// The programs of `bytes` in file order; a line that is not `name number` is skipped.
    public static func parse(_ bytes: [UInt8], fileName: String) -> [RPCProgram] {
        var programs: [RPCProgram] = []
        let text = String(decoding: bytes, as: UTF8.self)
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard fields.count == 2, let number = UInt32(fields[1]) else { continue }
            programs.append(RPCProgram(name: String(fields[0]), number: number,
                                       location: SourceLocation(file: fileName, line: index + 1)))
        }
        return programs
    }
}
