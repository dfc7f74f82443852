import EngramIPLD

/// A node's embedding: the vector a model gave for it (SPEC.md 7.12).
///
/// Stored in the node's property ``property`` as the plain DAG-CBOR map
/// `{"model": text, "vector": bytes}`, the vector as little-endian float32 (4 bytes a component),
/// and indexed in the vectors tree so a nearest-neighbour search reads only that tree.
public struct Embedding: Sendable, Hashable {
    /// The node property that holds the embedding.
    public static let property = "embedding"
    /// The most components a vector may have.
    public static let maxDimensions = 4096
    /// The longest model name, in UTF-8 bytes.
    public static let maxModelBytes = 256

    /// The model that produced the vector (compared as UTF-8 bytes).
    public var model: String
    /// The components.
    public var vector: [Float]

    public init(model: String, vector: [Float]) {
        self.model = model
        self.vector = vector
    }

    /// The property value: `{"model": model, "vector": little-endian float32 bytes}`.
    public var value: IPLD {
        .map(["model": .string(model), "vector": .bytes(Self.bytes(of: vector))])
    }

    /// The embedding a property value holds, or the reason it is not one.
    public static func parse(_ value: IPLD) -> Result<Embedding, EmbeddingProblem> {
        switch parseRaw(value) {
        case .success(let (model, bytes)): .success(Embedding(model: model, vector: floats(of: bytes)))
        case .failure(let problem): .failure(problem)
        }
    }

    /// The model and vector bytes of a valid embedding value, or the reason it is not valid.
    static func parseRaw(_ value: IPLD) -> Result<(model: String, bytes: [UInt8]), EmbeddingProblem> {
        guard case .map(let map) = value else { return .failure(EmbeddingProblem("it is a \(value.kind), not a map")) }
        for (key, _) in map where key != "model" && key != "vector" {
            return .failure(EmbeddingProblem("unexpected key \"\(key)\" (only model and vector)"))
        }
        guard case .string(let model)? = map["model"] else { return .failure(EmbeddingProblem("model is missing or not text")) }
        guard !model.isEmpty else { return .failure(EmbeddingProblem("model is empty")) }
        guard model.utf8.count <= maxModelBytes else {
            return .failure(EmbeddingProblem("model is \(model.utf8.count) bytes, over \(maxModelBytes)"))
        }
        guard case .bytes(let bytes)? = map["vector"] else { return .failure(EmbeddingProblem("vector is missing or not bytes")) }
        guard bytes.count % 4 == 0 else {
            return .failure(EmbeddingProblem("vector is \(bytes.count) bytes, not a multiple of 4 (float32)"))
        }
        let dims = bytes.count / 4
        guard dims > 0, dims <= maxDimensions else {
            return .failure(EmbeddingProblem("vector has \(dims) dimensions, not 1 to \(maxDimensions)"))
        }
        if let bad = floats(of: bytes).firstIndex(where: { !$0.isFinite }) {
            return .failure(EmbeddingProblem("component \(bad) is not finite"))
        }
        return .success((model, bytes))
    }

    /// Refuses an `embedding` property a commit must not write (SPEC.md 7.12).
    static func check(_ node: Node) throws(GraphError) {
        guard let value = node.props[property] else { return }
        if case .failure(let problem) = parseRaw(value) { throw .invalidEmbedding(node: node.id, reason: problem.reason) }
    }

    /// `vector` as little-endian float32 bytes.
    static func bytes(of vector: [Float]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(vector.count * 4)
        for f in vector {
            let bits = f.bitPattern
            for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: bits >> UInt32(shift))) }
        }
        return out
    }

    /// Little-endian float32 bytes as floats (a trailing partial component is ignored).
    static func floats(of bytes: [UInt8]) -> [Float] {
        var out = [Float](repeating: 0, count: bytes.count / 4)
        out.withUnsafeMutableBufferPointer { dst in VectorMath.load(bytes[...], into: dst) }
        return out
    }
}

/// Why a property value is not an embedding.
public struct EmbeddingProblem: Error, Sendable, Hashable {
    public var reason: String
    init(_ reason: String) { self.reason = reason }
}

extension Node {
    /// The node's embedding, or nil when it has none (or the property is not a valid one).
    public var embedding: Embedding? {
        guard let value = props[Embedding.property], case .success(let e) = Embedding.parse(value) else { return nil }
        return e
    }

    /// Sets the node's embedding (the ``Embedding/property`` property); an invalid one (empty
    /// or over-long model, no components or too many, a NaN or infinite component) is refused.
    public mutating func setEmbedding(_ vector: [Float], model: String) throws(GraphError) {
        let value = Embedding(model: model, vector: vector).value
        if case .failure(let problem) = Embedding.parseRaw(value) { throw .invalidEmbedding(node: id, reason: problem.reason) }
        props[Embedding.property] = value
    }

    /// Removes the node's embedding.
    public mutating func removeEmbedding() { props[Embedding.property] = nil }
}

extension Transaction {
    /// Sets the embedding of node `id` (see ``Node/setEmbedding(_:model:)``), keeping its other
    /// properties.
    public mutating func setEmbedding(of id: EntityID, _ vector: [Float], model: String) throws(GraphError) {
        guard var node = try node(id) else { throw .nodeNotFound(id) }
        try node.setEmbedding(vector, model: model)
        putNode(node)
    }
}

/// Turns text into vectors for a search that is given text but no vector. Applications plug in
/// their own model: none is bundled.
public protocol Embedder: Sendable {
    /// The model name recorded with (and searched among) the vectors this embedder makes.
    var model: String { get }
    /// One vector per text, in order, all of the model's dimension.
    func embed(_ texts: [String]) throws -> [[Float]]
}
