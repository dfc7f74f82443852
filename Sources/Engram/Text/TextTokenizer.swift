/// Splits text into search terms (SPEC.md 7.11): Unicode-aware, deterministic, and the same for
/// canonically (and compatibly) equivalent spellings.
///
/// 1. The text is normalised to NFKC (``TextNormalization``), so NFC, NFD and compatibility
///    spellings (ligatures, full-width forms) give the same terms.
/// 2. It is cut into words: maximal runs of letters, marks and numbers (general categories L*,
///    M*, N*) that are not ideographs and do not start with a mark; an apostrophe (U+0027 or U+2019) between two run
///    characters is dropped and joins them ("don't" is `dont`). Each ideograph (Unicode property
///    `Ideographic`, e.g. CJK) is a word of its own. Everything else (spaces, punctuation,
///    symbols and emoji, controls and NUL, unassigned code points) separates words.
/// 3. Each word is lowercased (full lowercase mapping) and normalised to NFKC again; with
///    ``foldsDiacritics`` it is then decomposed (NFD), stripped of nonspacing marks (Mn) and
///    normalised to NFKC once more, and dropped if nothing is left.
/// 4. A word longer than ``maxTermBytes`` UTF-8 bytes keeps its longest prefix of whole scalars
///    that fits.
///
/// Pure ASCII text takes a byte loop that gives the same terms without normalising.
public struct TextTokenizer: Sendable, Hashable {
    /// Whether diacritics are removed (`é` is `e`): a per-repository setting of the text index.
    public var foldsDiacritics: Bool

    /// The version of these rules, recorded in the text index (a change rebuilds it).
    public static let version = 1
    /// The longest term, in UTF-8 bytes.
    public static let maxTermBytes = 128

    public init(foldsDiacritics: Bool = false) {
        self.foldsDiacritics = foldsDiacritics
    }

    /// The terms of `text`, in order (repeats kept).
    public func tokens(_ text: String) -> [String] {
        termBytes(text).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The terms of `text` as UTF-8 bytes, in order.
    func termBytes(_ text: String) -> [[UInt8]] {
        var out: [[UInt8]] = []
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            Self.asciiTerms(text.utf8, into: &out)
        } else {
            unicodeTerms(text, into: &out)
        }
        return out
    }

    // MARK: ASCII

    @inline(__always)
    static func isASCIIWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    /// Step 2-4 on ASCII bytes (NFKC leaves ASCII unchanged; lowercase is A-Z to a-z).
    static func asciiTerms(_ bytes: String.UTF8View, into out: inout [[UInt8]]) {
        var current: [UInt8] = []
        var previous: UInt8 = 0
        var pendingApostrophe = false
        for b in bytes {
            if isASCIIWordByte(b) {
                if pendingApostrophe { pendingApostrophe = false }
                if current.count < maxTermBytes { current.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b) }
            } else if b == 0x27, !current.isEmpty, !pendingApostrophe, isASCIIWordByte(previous) {
                // Joins only if a run character follows; otherwise it ends the word below.
                pendingApostrophe = true
            } else {
                pendingApostrophe = false
                if !current.isEmpty { out.append(current); current = [] }
            }
            previous = b
        }
        if !current.isEmpty { out.append(current) }
    }

    // MARK: Unicode

    enum ScalarClass { case word, mark, ideograph, apostrophe, separator }

    static func classify(_ s: Unicode.Scalar) -> ScalarClass {
        if s.value < 0x80 {
            if isASCIIWordByte(UInt8(truncatingIfNeeded: s.value)) { return .word }
            return s.value == 0x27 ? .apostrophe : .separator
        }
        if s.value == 0x2019 { return .apostrophe }
        let p = s.properties
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return p.isIdeographic ? .ideograph : .word
        case .nonspacingMark, .spacingMark, .enclosingMark:
            return p.isIdeographic ? .ideograph : .mark
        default:
            return .separator
        }
    }

    func unicodeTerms(_ text: String, into out: inout [[UInt8]]) {
        let normalized = TextNormalization.nfkc(text)
        var word = String.UnicodeScalarView()
        var apostrophe = false
        for s in normalized.unicodeScalars {
            switch Self.classify(s) {
            case .word:
                apostrophe = false
                word.append(s)
            case .mark where !word.isEmpty:
                // A mark continues a word but never starts one (a lone U+FE0F after an emoji).
                apostrophe = false
                word.append(s)
            case .apostrophe where !word.isEmpty && !apostrophe:
                apostrophe = true
            case .ideograph:
                apostrophe = false
                finish(&word, into: &out)
                var single = String.UnicodeScalarView()
                single.append(s)
                finish(&single, into: &out)
            default:
                apostrophe = false
                finish(&word, into: &out)
            }
        }
        finish(&word, into: &out)
    }

    /// Steps 3 and 4 on one word; empties `word`.
    func finish(_ word: inout String.UnicodeScalarView, into out: inout [[UInt8]]) {
        guard !word.isEmpty else { return }
        var lowered = ""
        for s in word { lowered.unicodeScalars.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars) }
        word = String.UnicodeScalarView()
        var term = lowered.utf8.allSatisfy({ $0 < 0x80 }) ? lowered : TextNormalization.nfkc(lowered)
        if foldsDiacritics { term = TextNormalization.removingNonspacingMarks(term) }
        guard !term.isEmpty else { return }
        out.append(Self.cut(term))
    }

    /// The longest prefix of whole scalars of `term` within ``maxTermBytes``.
    static func cut(_ term: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for s in term.unicodeScalars {
            let width = UTF8.width(s)
            guard bytes.count + width <= maxTermBytes else { break }
            UTF8.encode(s) { bytes.append($0) }
        }
        return bytes
    }
}
