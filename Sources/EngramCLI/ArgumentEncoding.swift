import ArgumentParser

/// Arguments must be UTF-8: `CommandLine.arguments` would turn a bad byte into U+FFFD without a
/// word, and the replacement would be stored (`--prop x=<bytes>`).
enum ArgumentEncoding {
    /// The first argument (1-based, after the program name) that is not valid UTF-8, if any.
    static func firstInvalidArgument() -> Int? {
        let argv = CommandLine.unsafeArgv
        for i in 1..<max(1, Int(CommandLine.argc)) {
            guard let arg = argv[i] else { continue }
            if String(validatingCString: arg) == nil { return i }
        }
        return nil
    }

    /// Refuses (as a usage error) an argument that is not UTF-8.
    static func check() throws {
        guard let i = firstInvalidArgument() else { return }
        throw ValidationError(#"argument \#(i) is not valid UTF-8 (text arguments must be UTF-8; store bytes as JSON: --prop k:='{"/":{"bytes":"<base64>"}}')"#)
    }
}
