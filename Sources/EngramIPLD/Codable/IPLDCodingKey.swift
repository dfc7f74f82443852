/// The coding keys the bridge makes itself: list positions, `super`, and the dynamic text keys
/// of maps whose keys are data (``IPLD``'s own conformance).
struct IPLDCodingKey: CodingKey, Sendable {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = "Index \(intValue)"
        self.intValue = intValue
    }

    /// A list position (what JSONEncoder names `Index n`).
    init(index: Int) { self.init(intValue: index) }

    /// The key of `superEncoder()` / `superDecoder()`, as Foundation names it.
    static let `super` = IPLDCodingKey(stringValue: "super")
}

/// A coding path as people read it: `items[2].count`, `$` for the top level.
func describeCodingPath(_ path: [any CodingKey]) -> String {
    guard !path.isEmpty else { return "$" }
    var text = ""
    for key in path {
        if let index = key.intValue, key is IPLDCodingKey {
            text += "[\(index)]"
        } else {
            if !text.isEmpty { text += "." }
            text += key.stringValue
        }
    }
    return text
}
