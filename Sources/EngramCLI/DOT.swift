/// Graphviz DOT text: quoted IDs and labels that keep any text exactly (SPEC-free: the DOT
/// language, https://graphviz.org/doc/info/lang.html).
enum DOT {
    /// `text` as a double-quoted DOT string whose label shows `text` as written: `"` and `\`
    /// escaped, newlines as `\n`, `&` as `&amp;` (Graphviz reads entities in labels), control
    /// characters (NUL included, which a DOT file cannot hold) shown as `\u{XX}`. Non-ASCII
    /// stays UTF-8, which DOT reads by default.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "&": out += "&amp;"
            default:
                if scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) {
                    out += "\\\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A label of at most `limit` characters (longer text is cut and marked with `…`).
    static func cut(_ text: String, _ limit: Int = 60) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
