/// Which properties the full-text index reads and how it tokenizes them (SPEC.md 7.11): a
/// per-repository setting, recorded in the text index itself so that the same configuration
/// and the same graph give the same index root.
public struct TextIndexConfig: Sendable, Hashable {
    /// The property names indexed (bytewise sorted, no repeats); nil indexes every property
    /// whose value is text.
    public private(set) var properties: [String]?
    /// Whether terms have their diacritics removed (``TextTokenizer/foldsDiacritics``).
    public var foldsDiacritics: Bool

    /// `properties` are compared as bytes (NFC and NFD spellings are two properties, 7.2).
    public init(properties: [String]? = nil, foldsDiacritics: Bool = false) {
        self.properties = properties.map { names in
            var seen = Set<ExactText>()
            return names.filter { seen.insert(ExactText($0)).inserted }.sorted(by: ExactText.precedes)
        }
        self.foldsDiacritics = foldsDiacritics
    }

    /// Every text property, diacritics kept.
    public static let `default` = TextIndexConfig()

    /// The tokenizer this configuration uses.
    public var tokenizer: TextTokenizer { TextTokenizer(foldsDiacritics: foldsDiacritics) }

    /// Whether property `name` is indexed (when its value is text).
    func indexes(_ name: String) -> Bool {
        guard let properties else { return true }
        return properties.contains { ExactText.same($0, name) }
    }

    /// The indexed texts of `node`, in property key order.
    func texts(of node: Node) -> [String] {
        var out: [String] = []
        for (name, value) in node.props {
            if case .string(let s) = value, indexes(name) { out.append(s) }
        }
        return out
    }
}
