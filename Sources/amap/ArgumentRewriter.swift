/// Rewrites nmap-style output options, which ArgumentParser cannot express as short options, into long ones.
///
/// `-oJ FILE` → `--output-json FILE`, `-oX FILE` → `--output-xml FILE`, `-oG FILE` → `--output-grepable FILE`.
/// amap's own `-o FILE` is untouched. Arguments after `--` are left alone.
enum ArgumentRewriter {
    static let aliases = ["-oJ": "--output-json", "-oX": "--output-xml", "-oG": "--output-grepable"]

    static func rewrite(_ arguments: [String]) -> [String] {
        var rewritten: [String] = []
        var passThrough = false
        for argument in arguments {
            if passThrough || argument == "--" {
                passThrough = true
                rewritten.append(argument)
            } else if let long = aliases[argument] {
                rewritten.append(long)
            } else {
                rewritten.append(argument)
            }
        }
        return rewritten
    }
}
