import Foundation

/// A reader for the DOT subset Engram writes (an independent check of its escaping): one
/// `digraph NAME {` block of statements `ID [attrs];`, `ID -> ID [attrs];` and
/// `node|edge|graph [attrs];` or `key=value;`, IDs and values bare or double-quoted.
/// Quoted strings undo `\"`, `\\` and `\n`, and the `&amp;` entity.
struct DOTReader {
    struct Edge: Hashable {
        let from: String, to: String
        let attributes: [String: String]
    }

    struct Graph {
        var name = ""
        var nodes: [String: [String: String]] = [:]
        var edges: [Edge] = []
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    enum Token: Equatable {
        case word(String), quoted(String), symbol(Character)
        var text: String? {
            switch self {
            case .word(let s), .quoted(let s): s
            case .symbol: nil
            }
        }
    }

    static func tokens(_ text: String) throws -> [Token] {
        var out: [Token] = []
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.first {
            if c == " " || c == "\n" || c == "\t" { chars = chars.dropFirst(); continue }
            if c == "-", chars.dropFirst().first == ">" {
                out.append(.symbol(">"))
                chars = chars.dropFirst(2)
                continue
            }
            if "{}[];=,".unicodeScalars.contains(c) {
                out.append(.symbol(Character(c)))
                chars = chars.dropFirst()
                continue
            }
            if c == "\"" {
                chars = chars.dropFirst()
                var s = String.UnicodeScalarView()
                while true {
                    guard let d = chars.first else { throw Failure(description: "unterminated string") }
                    chars = chars.dropFirst()
                    if d == "\"" { break }
                    if d == "\\", let e = chars.first {
                        chars = chars.dropFirst()
                        switch e {
                        case "\"": s.append("\"")
                        case "\\": s.append("\\")
                        case "n": s.append("\n")
                        default: s.append(d); s.append(e)
                        }
                        continue
                    }
                    guard d.value >= 0x20 else { throw Failure(description: "raw control character \(d.value) in a string") }
                    s.append(d)
                }
                out.append(.quoted(String(s).replacingOccurrences(of: "&amp;", with: "&")))
                continue
            }
            var w = String.UnicodeScalarView()
            while let d = chars.first, d.properties.isAlphabetic || ("0"..."9").contains(d) || d == "_" || d == "." {
                w.append(d)
                chars = chars.dropFirst()
            }
            guard !w.isEmpty else { throw Failure(description: "unexpected \(c)") }
            out.append(.word(String(w)))
        }
        return out
    }

    static func parse(_ text: String) throws -> Graph {
        var t = try tokens(text)[...]
        func take() throws -> Token {
            guard let x = t.popFirst() else { throw Failure(description: "unexpected end") }
            return x
        }
        func attributes() throws -> [String: String] {
            var a: [String: String] = [:]
            guard t.first == .symbol("[") else { return a }
            _ = try take()
            while t.first != .symbol("]") {
                guard let k = try take().text, try take() == .symbol("="), let v = try take().text else { throw Failure(description: "bad attribute") }
                a[k] = v
                if t.first == .symbol(",") || t.first == .symbol(";") { _ = try take() }
            }
            _ = try take()
            return a
        }
        var g = Graph()
        guard try take() == .word("digraph"), let name = try take().text, try take() == .symbol("{") else { throw Failure(description: "not a digraph") }
        g.name = name
        while t.first != .symbol("}") {
            guard let id = try take().text else { throw Failure(description: "expected a statement") }
            if t.first == .symbol("=") {
                _ = try take()
                _ = try take()
            } else if t.first == .symbol(">") {
                _ = try take()
                guard let to = try take().text else { throw Failure(description: "edge without a head") }
                g.edges.append(Edge(from: id, to: to, attributes: try attributes()))
            } else {
                let a = try attributes()
                if !["node", "edge", "graph"].contains(id) { g.nodes[id] = a }
            }
            guard try take() == .symbol(";") else { throw Failure(description: "expected ;") }
        }
        _ = try take()
        guard t.isEmpty else { throw Failure(description: "text after the graph") }
        return g
    }
}
