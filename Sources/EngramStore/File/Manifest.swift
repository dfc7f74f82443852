/// The root of a store's durable state, replaced atomically (write, fsync, rename, fsync dir).
///
/// `MANIFEST` = `"ENGRAMMF"` then one record of kind 3 whose body is
/// `generation u64 | first live segment u64 | next pack number u64 | sequence u64 |
/// pack count u32 | pack numbers u64... | ref count u32 | (name, ref value)... |
/// reflog count u32 | (name, old, new, time i64, message u32+UTF-8)...`.
struct Manifest: Sendable, Equatable {
    var generation: UInt64 = 0
    /// Journal segments numbered below this are in packs and may be deleted.
    var firstSegment: UInt64 = 1
    var nextPack: UInt64 = 1
    var packs: [UInt64] = []
    /// Refs and reflog as of the end of segment `firstSegment - 1`.
    var refs = RefState()

    func encode() -> [UInt8] {
        var out = StoreFiles.manifestMagic
        Record.append(kind: .manifest, to: &out) { b in
            b.appendLE(generation)
            b.appendLE(firstSegment)
            b.appendLE(nextPack)
            b.appendLE(refs.sequence)
            b.appendLE(UInt32(packs.count))
            for p in packs { b.appendLE(p) }
            let names = refs.refs.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            b.appendLE(UInt32(names.count))
            for n in names {
                b.appendShortString(n)
                b.appendRefValue(refs.refs[n])
            }
            b.appendLE(UInt32(refs.reflog.count))
            for e in refs.reflog {
                b.appendShortString(e.name)
                b.appendRefValue(e.old)
                b.appendRefValue(e.new)
                b.appendLE(e.time)
                let m = Array(e.message.utf8)
                b.appendLE(UInt32(m.count))
                b.append(contentsOf: m)
            }
        }
        return out
    }

    static func decode(_ bytes: [UInt8], path: String) throws -> Manifest {
        let magic = StoreFiles.manifestMagic
        guard bytes.count > magic.count, Array(bytes[0..<magic.count]) == magic else {
            throw StoreError.corruptStore(path: path, reason: "not a manifest")
        }
        return try bytes.withUnsafeBytes { buf in
            let frame: Record.Frame
            do throws(Record.Invalid) { frame = try Record.read(buf, at: magic.count) } catch {
                throw StoreError.corruptStore(path: path, reason: .cause(error, "manifest record"))
            }
            guard frame.kind == Record.Kind.manifest.rawValue, magic.count + frame.length == bytes.count else {
                throw StoreError.corruptStore(path: path, reason: "manifest has a wrong kind or trailing bytes")
            }
            do throws(ByteReader.Failure) { return try parse(buf, frame.body) } catch {
                throw StoreError.corruptStore(path: path, reason: "manifest at byte \(error.offset): \(error.reason)")
            }
        }
    }

    private static func parse(_ buf: UnsafeRawBufferPointer, _ body: Range<Int>) throws(ByteReader.Failure) -> Manifest {
        var r = ByteReader(UnsafeRawBufferPointer(rebasing: buf[..<body.upperBound]), offset: body.lowerBound)
        var m = Manifest()
        m.generation = try r.read(UInt64.self)
        m.firstSegment = try r.read(UInt64.self)
        m.nextPack = try r.read(UInt64.self)
        m.refs.sequence = try r.read(UInt64.self)
        for _ in 0..<(try r.read(UInt32.self)) { m.packs.append(try r.read(UInt64.self)) }
        for _ in 0..<(try r.read(UInt32.self)) {
            let name = try r.shortString()
            m.refs.refs[name] = try r.refValue()
        }
        for _ in 0..<(try r.read(UInt32.self)) {
            let name = try r.shortString()
            let old = try r.refValue(), new = try r.refValue()
            let time = try r.read(Int64.self)
            let n = Int(try r.read(UInt32.self))
            let raw = try r.bytes(n)
            guard let message = String(validating: raw, as: UTF8.self) else { throw .init(offset: r.offset, reason: "invalid UTF-8") }
            m.refs.reflog.append(ReflogEntry(name: name, old: old, new: new, time: time, message: message))
        }
        guard r.remaining == 0 else { throw .init(offset: r.offset, reason: "trailing bytes") }
        return m
    }
}
