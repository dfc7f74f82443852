/// Writes canonical DAG-JSON.
struct DAGJSONWriter {
    var bytes: [UInt8] = []
    let maxDepth: Int

    init(maxDepth: Int) {
        self.maxDepth = maxDepth
        bytes.reserveCapacity(256)
    }

    mutating func write(_ value: IPLD, depth: Int) throws(DAGJSONError) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .integer(let i): append(i.description)
        case .float(let d):
            guard d.isFinite else { throw DAGJSONError(.nonFiniteFloat, at: bytes.count) }
            guard !(d == 0 && d.sign == .minus) else { throw DAGJSONError(.negativeZero, at: bytes.count) }
            append(DAGJSONFloat.format(d))
        case .string(let s): writeString(s)
        case .bytes(let b):
            append(#"{"/":{"bytes":""#)
            append(Multibase.base64.encodeWithoutPrefix(b))
            append(#""}}"#)
        case .link(let cid):
            append(#"{"/":""#)
            append(cid.description)
            append(#""}"#)
        case .list(let items):
            guard depth < maxDepth else { throw DAGJSONError(.depthLimitExceeded(maxDepth), at: bytes.count) }
            bytes.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                try write(item, depth: depth + 1)
            }
            bytes.append(UInt8(ascii: "]"))
        case .map(let map):
            guard depth < maxDepth else { throw DAGJSONError(.depthLimitExceeded(maxDepth), at: bytes.count) }
            // A "/" key would read back as a link or bytes (or be refused), so it cannot be written.
            guard map["/"] == nil else { throw DAGJSONError(.reservedKey, at: bytes.count) }
            // DAG-JSON sorts keys bytewise, unlike DAG-CBOR's length-first order.
            let entries = map.entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            bytes.append(UInt8(ascii: "{"))
            for (i, entry) in entries.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(entry.key)
                bytes.append(UInt8(ascii: ":"))
                try write(entry.value, depth: depth + 1)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    /// Escapes `"`, `\` and control characters; everything else is written as its UTF-8.
    mutating func writeString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append(#"\""#)
            case UInt8(ascii: "\\"): append(#"\\"#)
            case 0x08: append(#"\b"#)
            case 0x0c: append(#"\f"#)
            case 0x0a: append(#"\n"#)
            case 0x0d: append(#"\r"#)
            case 0x09: append(#"\t"#)
            case 0..<0x20:
                append(#"\u00"#)
                bytes.append(Hex.digits[Int(byte >> 4)])
                bytes.append(Hex.digits[Int(byte & 0xf)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// The text form of a float: the shortest digits that round-trip, laid out as ECMAScript
/// does (exponent form below 1e-6 and from 1e21, plain decimals between), except that a
/// float with an integral value keeps a `.0` so that it reads back as a float.
enum DAGJSONFloat {
    static func format(_ value: Double) -> String {
        // Swift's description gives the shortest round-tripping digits; re-lay them out.
        let text = value.magnitude.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...])!
        }
        var digits = ""
        var pointPosition = 0
        if let dot = mantissa.firstIndex(of: ".") {
            digits = String(mantissa[..<dot]) + String(mantissa[mantissa.index(after: dot)...])
            pointPosition = mantissa.distance(from: mantissa.startIndex, to: dot)
        } else {
            digits = String(mantissa)
            pointPosition = digits.count
        }
        pointPosition += exponent
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        let sign = value < 0 ? "-" : ""
        if digits == "0" { return sign + "0.0" }
        let scientific = pointPosition - 1
        if scientific < -6 || scientific >= 21 {
            let rest = digits.dropFirst()
            return sign + String(digits.first!) + (rest.isEmpty ? "" : "." + rest)
                + "e" + (scientific < 0 ? "-" : "+") + String(scientific.magnitude)
        }
        if pointPosition <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
        }
        if pointPosition >= digits.count {
            return sign + digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
        }
        let split = digits.index(digits.startIndex, offsetBy: pointPosition)
        return sign + digits[..<split] + "." + digits[split...]
    }
}
