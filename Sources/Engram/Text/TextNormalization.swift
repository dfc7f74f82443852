import Foundation

/// The Unicode normalisation forms the tokenizer needs, from Foundation (the only place Swift
/// on Linux offers them). Only text that is not pure ASCII gets here.
enum TextNormalization {
    /// NFKC: compatibility decomposition, then canonical composition.
    static func nfkc(_ s: String) -> String { s.precomposedStringWithCompatibilityMapping }

    /// `s` decomposed (NFD), without its nonspacing marks (general category Mn), in NFKC.
    static func removingNonspacingMarks(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return s }
        var kept = String.UnicodeScalarView()
        for scalar in s.decomposedStringWithCanonicalMapping.unicodeScalars
        where scalar.properties.generalCategory != .nonspacingMark {
            kept.append(scalar)
        }
        return nfkc(String(kept))
    }
}
