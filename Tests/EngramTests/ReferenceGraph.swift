import Engram
import EngramIPLD
import EngramTestSupport
import Testing

typealias RNG = EngramTestSupport.SplitMix64

/// The graph as plain dictionaries: the model the repository is checked against.
struct ReferenceGraph: Equatable {
    var nodes: [EntityID: Node] = [:]
    var edges: [EntityID: Edge] = [:]

    static let labels = ["Person", "Topic", "Note"]
    static let edgeLabels = ["knows", "about"]
    static let propNames = ["age", "name", "score"]

    mutating func apply(_ changes: ChangeSet) {
        for (id, n) in changes.nodes {
            if let n { nodes[id] = n } else {
                nodes[id] = nil
                edges = edges.filter { $0.value.src != id && $0.value.dst != id }
            }
        }
        for (id, e) in changes.edges { edges[id] = e }
    }

    /// Checks every query, count and index of `s` against the model.
    func check(_ s: GraphSnapshot, _ context: String) throws {
        #expect(try s.nodeCount() == UInt64(nodes.count), "\(context): node count")
        #expect(try s.edgeCount() == UInt64(edges.count), "\(context): edge count")
        for n in nodes.values { #expect(try s.node(n.id) == n, "\(context): node \(n.id)") }
        for e in edges.values { #expect(try s.edge(e.id) == e, "\(context): edge \(e.id)") }
        for label in Self.labels {
            var scan = try s.nodes(label: label)
            let want = nodes.values.filter { $0.label == label }.map(\.id).sorted()
            #expect(try scan.collect() == want, "\(context): label \(label)")
            #expect(try s.count(label: label) == UInt64(want.count), "\(context): count \(label)")
            for name in Self.propNames {
                let values = Set(nodes.values.filter { $0.label == label }.compactMap { $0.props[name] })
                for v in values.prefix(4) {
                    var eq = try s.nodes(label: label, where: name, equals: v)
                    let hits = Set(nodes.values.filter { $0.label == label && Self.sameValue($0.props[name], v) }.map(\.id))
                    #expect(Set(try eq.collect()) == hits, "\(context): \(label).\(name) == \(v)")
                    #expect(try s.count(label: label, where: name, equals: v) == UInt64(hits.count))
                }
            }
            // Integer ranges on "age" (a patch may make an age a float, which counts by value).
            var range = try s.nodes(label: label, where: "age", from: .int(20), to: .int(60))
            let inRange = nodes.values.filter {
                guard $0.label == label, let a = $0.props["age"].flatMap(Self.smallNumber) else { return false }
                return a >= 20 && a < 60
            }.map(\.id)
            #expect(Set(try range.collect()) == Set(inRange), "\(context): \(label).age in 20..<60")
            #expect(try s.count(label: label, where: "age", from: .int(20), to: .int(60)) == UInt64(inRange.count))
        }
        for n in nodes.keys {
            var out = try s.neighbors(n, .out)
            let wantOut = Set(edges.values.filter { $0.src == n }.map { Neighbor(node: $0.dst, edge: $0.id, label: $0.label) })
            #expect(Set(try out.collect()) == wantOut, "\(context): out of \(n)")
            var inn = try s.neighbors(n, .in, label: "knows")
            let wantIn = Set(edges.values.filter { $0.dst == n && $0.label == "knows" }.map { Neighbor(node: $0.src, edge: $0.id, label: $0.label) })
            #expect(Set(try inn.collect()) == wantIn, "\(context): in knows of \(n)")
            #expect(try s.degree(n, .both) == UInt64(edges.values.filter { $0.src == n }.count + edges.values.filter { $0.dst == n }.count))
        }
        #expect(try s.rebuildIndexes() == s.index, "\(context): incremental index equals a fresh build")
    }
}

extension ReferenceGraph {
    /// A number as a double: exact for the small values the model generates.
    static func smallNumber(_ v: IPLD) -> Double? {
        switch v {
        case .integer(let i): i.int64.map(Double.init)
        case .float(let d): d
        default: nil
        }
    }

    /// Equality as queries define it (SPEC.md 7.3): numbers by value, anything else exactly.
    static func sameValue(_ a: IPLD?, _ b: IPLD) -> Bool {
        if let a, let x = smallNumber(a), let y = smallNumber(b) { return x == y }
        return a == b
    }
}

/// Random graph changes over a model.
enum RandomChanges {
    static func id(_ rng: inout RNG) -> EntityID { EntityID(high: rng.next(), low: rng.next()) }

    static func value(_ rng: inout RNG, _ name: String) -> IPLD {
        switch (name, rng.next() % 10) {
        case ("age", _): .int(Int64(rng.next() % 90))
        case (_, 0): .null
        case (_, 1): .bool(rng.next() % 2 == 0)
        case (_, 2): .string(String(repeating: "long value ", count: 8) + "\(rng.next() % 3)")
        case (_, 3): .float(Double(rng.next() % 100) / 4)
        case (_, 4): .list([.int(Int64(rng.next() % 3))])
        default: .string(["ann", "bob", "cy", "dee"][Int(rng.next() % 4)])
        }
    }

    static func props(_ rng: inout RNG) -> IPLDMap {
        var m = IPLDMap()
        for name in ReferenceGraph.propNames where rng.next() % 3 != 0 { m[name] = value(&rng, name) }
        return m
    }

    static func pick<T>(_ rng: inout RNG, _ items: [T]) -> T? {
        items.isEmpty ? nil : items[Int(rng.next() % UInt64(items.count))]
    }

    /// A transaction of 1 to `maxOps` random operations over `model` (which it updates).
    static func transaction(_ rng: inout RNG, _ tx: inout Transaction, _ model: inout ReferenceGraph, maxOps: Int = 6) throws {
        for _ in 0..<(1 + Int(rng.next() % UInt64(maxOps))) {
            let nodeIDs = model.nodes.keys.sorted(), edgeIDs = model.edges.keys.sorted()
            var step = ChangeSet()
            switch rng.next() % 10 {
            case 0, 1, 2:
                let n = Node(id: id(&rng), label: pick(&rng, ReferenceGraph.labels)!, props: props(&rng))
                tx.putNode(n)
                step.put(n)
            case 3:
                guard let target = pick(&rng, nodeIDs) else { continue }
                let patch: PropertyPatch = [pick(&rng, ReferenceGraph.propNames)!: rng.next() % 4 == 0 ? nil : value(&rng, "name")]
                try tx.updateNode(target, props: .patch(patch))
                step.put(try tx.node(target)!)
            case 4:
                guard let target = pick(&rng, nodeIDs) else { continue }
                try tx.updateNode(target, label: pick(&rng, ReferenceGraph.labels)!, props: .replace(props(&rng)))
                step.put(try tx.node(target)!)
            case 5:
                guard let target = pick(&rng, nodeIDs) else { continue }
                try tx.removeNode(target)
                step.removeNode(target)
            case 6, 7, 8:
                guard let a = pick(&rng, nodeIDs), let b = pick(&rng, nodeIDs) else { continue }
                let e = Edge(id: id(&rng), src: a, label: pick(&rng, ReferenceGraph.edgeLabels)!, dst: b, props: rng.next() % 2 == 0 ? [:] : ["w": .int(Int64(rng.next() % 5))])
                tx.putEdge(e)
                step.put(e)
            default:
                guard let target = pick(&rng, edgeIDs) else { continue }
                if rng.next() % 2 == 0 {
                    try tx.removeEdge(target)
                    step.removeEdge(target)
                } else {
                    try tx.updateEdge(target, props: .patch(["w": .int(Int64(rng.next() % 5))]))
                    step.put(try tx.edge(target)!)
                }
            }
            model.apply(step)
        }
    }
}
