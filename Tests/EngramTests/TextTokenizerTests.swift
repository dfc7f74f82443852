@testable import Engram
import EngramTestSupport
import Foundation
import Testing

/// The tokenizer of SPEC.md 7.11 against the golden vectors written by the independent Python
/// implementation (`Fixtures/text/tokenizer.py`), and its invariances on random text.
struct TextTokenizerTests {
    static let file = TestFixtures.project.appendingPathComponent("text/tokens.json")

    @Test func goldenVectorsFromTheIndependentImplementation() throws {
        let json = try #require(try TestFixtures.json(Self.file) as? [String: Any])
        #expect(json["tokenizer"] as? Int == TextTokenizer.version)
        let cases = try #require(json["cases"] as? [[String: Any]])
        #expect(cases.count >= 50)
        for c in cases {
            let hexText = try #require(c["utf8"] as? String)
            let text = String(decoding: unhex(hexText), as: UTF8.self)
            let fold = try #require(c["fold_diacritics"] as? Bool)
            let want = try #require(c["tokens"] as? [String])
            let got = TextTokenizer(foldsDiacritics: fold).tokens(text)
            // Compared as bytes: String == would call NFC and NFD spellings equal.
            #expect(got.map { Array($0.utf8) } == want.map { Array($0.utf8) }, "\(hexText) fold \(fold): \(got) vs \(want)")
        }
    }

    @Test func spellingsThatNormaliseAlikeGiveTheSameTerms() {
        let t = TextTokenizer()
        #expect(t.tokens("caf\u{E9} R\u{E9}SUM\u{C9}") == ["caf\u{E9}", "r\u{E9}sum\u{E9}"])
        #expect(t.tokens("cafe\u{301} RE\u{301}SUME\u{301}").map { Array($0.utf8) } == t.tokens("caf\u{E9} R\u{E9}SUM\u{C9}").map { Array($0.utf8) })
        #expect(t.tokens("\u{FB01}le \u{FF21}BC") == ["file", "abc"])
        #expect(TextTokenizer(foldsDiacritics: true).tokens("Cr\u{E8}me BR\u{FB}L\u{C9}E") == ["creme", "brulee"])
    }

    /// Random text mixing ASCII, accented letters in NFC, NUL, CJK, emoji, apostrophes and digits.
    static func randomText(_ rng: inout RNG) -> String {
        let pieces = ["a", "Z", "9", " ", "'", "\u{2019}", "\u{0}", "\u{E9}", "\u{C5}", "\u{DF}", "\u{130}", "\u{3A3}",
                      "\u{4E2D}", "\u{3072}", "\u{1F600}", "\u{FE0F}", "-", ".", "\u{FB01}", "\u{FF21}", "\u{661}",
                      "\u{915}\u{94D}", "\t", "\u{A0}", "\u{1E9B}\u{323}", "\u{212B}"]
        var s = ""
        for _ in 0..<(rng.next() % 24) { s += pieces[Int(rng.next() % UInt64(pieces.count))] }
        return s
    }

    @Test func nfcNfdAndNfkcInputGiveTheSameTermsOnRandomText() {
        var rng = RNG(seed: 71)
        for fold in [false, true] {
            let t = TextTokenizer(foldsDiacritics: fold)
            for _ in 0..<400 {
                let s = Self.randomText(&rng)
                let terms = t.tokens(s).map { Array($0.utf8) }
                for variant in [s.decomposedStringWithCanonicalMapping, s.precomposedStringWithCanonicalMapping,
                                s.decomposedStringWithCompatibilityMapping] {
                    #expect(t.tokens(variant).map { Array($0.utf8) } == terms, "\(Array(s.utf8))")
                }
                // Tokenizing a term again gives it back (terms are fixed points).
                for term in t.tokens(s) { #expect(t.tokens(term) == [term], "\(Array(term.utf8))") }
            }
        }
    }

    @Test func asciiFastPathAgreesWithTheUnicodePath() {
        var rng = RNG(seed: 72)
        let alphabet = Array("aZ09 '.-_\u{0}\t!x")
        for _ in 0..<500 {
            let s = String((0..<(rng.next() % 30)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            var slow: [[UInt8]] = []
            TextTokenizer().unicodeTerms(s, into: &slow)
            #expect(TextTokenizer().termBytes(s) == slow, "\(Array(s.utf8))")
        }
    }

    @Test func longWordsAreCutAtAScalarBoundary() {
        let t = TextTokenizer()
        #expect(t.tokens(String(repeating: "x", count: 300)) == [String(repeating: "x", count: 128)])
        let accented = t.tokens(String(repeating: "\u{E9}", count: 100))
        #expect(accented == [String(repeating: "\u{E9}", count: 64)])
        #expect(t.tokens("\u{0}\u{0}") == [] && t.tokens("") == [] && t.tokens("\u{1F600}\u{FE0F}") == [])
    }
}
