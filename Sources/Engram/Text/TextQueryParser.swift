/// A full-text query split into clauses, each term tokenized as the index tokenizes text.
struct ParsedTextQuery: Equatable {
    /// Bare words: a node containing one matches.
    var words: [[UInt8]] = []
    /// Phrases of two or more terms: a node matches when they are adjacent, in order, in one
    /// indexed property.
    var phrases: [[[UInt8]]] = []
    /// Term prefixes (`pre*`).
    var prefixes: [[UInt8]] = []

    /// Parses `text` (SPEC.md 7.11): `"` opens and closes a phrase; outside phrases, white space
    /// separates words and a word ending in `*` is a prefix. Everything is tokenized by
    /// `tokenizer`, so punctuation inside a word separates terms ("e-mail" is `e`, `mail`).
    init(_ text: String, tokenizer: TextTokenizer) throws(GraphError) {
        guard !text.unicodeScalars.allSatisfy(\.properties.isWhitespace) else { throw .invalidTextQuery("the query is empty") }
        guard text.utf8.count <= TextQuery.maxTextBytes else {
            throw .invalidTextQuery("the query is \(text.utf8.count) bytes, more than \(TextQuery.maxTextBytes)")
        }
        // Scalars, not Characters: a quote or space followed by a combining mark still counts.
        let parts = text.unicodeScalars.split(separator: "\"", omittingEmptySubsequences: false)
        guard parts.count % 2 == 1 else { throw .invalidTextQuery("a quote (\") is not closed") }
        for (i, part) in parts.enumerated() {
            if i % 2 == 1 {
                let terms = tokenizer.termBytes(String(part))
                switch terms.count {
                case 0: throw .invalidTextQuery("the phrase \"\(String(part))\" has no searchable term")
                case 1: words += terms
                default: phrases.append(terms)
                }
                continue
            }
            for word in part.split(whereSeparator: \.properties.isWhitespace) {
                var stem = word
                while stem.last == "*" { stem = stem.dropLast() }
                guard stem.count < word.count else {
                    words += tokenizer.termBytes(String(word))
                    continue
                }
                var terms = tokenizer.termBytes(String(stem))
                guard let last = terms.popLast() else { throw .invalidTextQuery("the prefix '\(String(word))' has no letter or digit") }
                words += terms
                prefixes.append(last)
            }
        }
        guard !words.isEmpty || !phrases.isEmpty || !prefixes.isEmpty else {
            throw .invalidTextQuery("'\(text)' has no searchable term (only punctuation, symbols or spaces)")
        }
        let distinct = Set(words + phrases.flatMap { $0 } + prefixes)
        guard distinct.count <= TextQuery.maxTerms else {
            throw .invalidTextQuery("the query has \(distinct.count) distinct terms, more than \(TextQuery.maxTerms)")
        }
    }
}
