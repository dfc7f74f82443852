import EngramIPLD
import EngramStore

/// The push-based core of ``CARReader`` and ``AsyncCARReader``: bytes go in with ``append(_:)``,
/// headers and verified blocks come out of ``next(atEnd:)``. It holds at most one header or
/// section plus one chunk, so memory stays bounded by the limits whatever the archive's size.
struct CARDecoder {
    /// What ``next(atEnd:)`` found.
    enum Step: Equatable {
        /// The buffered bytes end inside an item: append more (or pass `atEnd`).
        case needMore
        /// The CARv1 header (of the payload, for a CARv2).
        case header(CARHeader)
        /// The next verified block.
        case block(Block)
        /// The archive ended cleanly.
        case end
    }

    private enum State: Equatable {
        case header            // the first header: CARv1, or the CARv2 pragma
        case v2FixedHeader     // the 40 bytes after the pragma
        case skip(Int)         // bytes to discard before the CARv2 data payload
        case payloadHeader     // the CARv1 header inside a CARv2
        case sections
        case done
    }

    let limits: CARLimits
    private var state = State.header
    private var buffer: [UInt8] = []
    /// Index in ``buffer`` of the first unread byte.
    private var start = 0
    /// Archive offset of `buffer[0]`.
    private var base = 0
    /// For a CARv2, the archive offset where the data payload ends.
    private var payloadEnd: Int?
    /// Archive version: 1, or 2 once the pragma is read.
    private var version = 1

    init(limits: CARLimits) {
        self.limits = limits
    }

    /// The archive offset of the next unread byte.
    var offset: Int { base + start }

    /// Whether the archive has ended cleanly.
    var isDone: Bool { state == .done }

    mutating func append<Bytes: Sequence<UInt8>>(_ chunk: Bytes) {
        // Drop what was read once it outweighs what is left, so the buffer stays about one item.
        if start > 0 && start >= buffer.count - start {
            buffer.removeSubrange(0..<start)
            base += start
            start = 0
        }
        buffer.append(contentsOf: chunk)
    }

    /// Parses the next item, or says more bytes are needed. With `atEnd` (the source has no more
    /// bytes), an incomplete item is ``CARError/truncated(_:offset:)`` instead.
    mutating func next(atEnd: Bool) throws(CARError) -> Step {
        while true {
            switch state {
            case .done:
                return .end
            case .header, .payloadHeader:
                guard let parsed = try readHeader(atEnd: atEnd) else { return .needMore }
                switch parsed {
                case .v2Pragma where state == .header:
                    version = 2
                    state = .v2FixedHeader
                case .v2Pragma:
                    throw .unsupportedVersion("2 inside a CARv2 payload")
                case .v1(let roots):
                    state = .sections
                    return .header(CARHeader(roots: roots, version: version))
                }
            case .v2FixedHeader:
                guard try readV2FixedHeader(atEnd: atEnd) else { return .needMore }
            case .skip(let count):
                let available = min(count, buffer.count - start)
                start += available
                if available == count {
                    state = .payloadHeader
                } else if atEnd {
                    throw .truncated(.v2Header, offset: offset)
                } else {
                    state = .skip(count - available)
                    return .needMore
                }
            case .sections:
                if let payloadEnd, offset >= payloadEnd {
                    state = .done
                    return .end
                }
                if start == buffer.count && atEnd {
                    // A CARv1 may end after any section; a CARv2 payload must reach its declared size.
                    guard payloadEnd == nil else { throw .truncated(.section, offset: offset) }
                    state = .done
                    return .end
                }
                guard let block = try readSection(atEnd: atEnd) else { return .needMore }
                return .block(block)
            }
        }
    }

    /// Reads a varint at `index`; nil when the buffer ends inside it.
    private func varint(at index: inout Int, part: CARPart, atEnd: Bool) throws(CARError) -> UInt64? {
        let itemStart = base + index
        let result = Result { () throws(VarintError) -> UInt64 in
            try buffer.withBytes { (raw) throws(VarintError) -> UInt64 in try Varint.read(from: raw, at: &index) }
        }
        switch result {
        case .success(let value): return value
        case .failure(.truncated):
            if atEnd { throw .truncated(part, offset: itemStart) }
            return nil
        case .failure(.nonMinimal): throw .nonMinimalVarint(offset: itemStart)
        case .failure(.tooLong): throw .varintTooLong(offset: itemStart)
        case .failure(.valueTooLarge(let v)): throw .sectionTooLarge(length: v, limit: limits.maxSectionLength, offset: itemStart)
        }
    }

    /// Whether `length` bytes are buffered at `index`; throws at the end of input when not.
    private func has(_ length: Int, at index: Int, part: CARPart, itemStart: Int, atEnd: Bool) throws(CARError) -> Bool {
        if buffer.count - index >= length { return true }
        if atEnd { throw .truncated(part, offset: itemStart) }
        return false
    }

    private mutating func readHeader(atEnd: Bool) throws(CARError) -> ParsedHeader? {
        let itemStart = offset
        var index = start
        guard let declared = try varint(at: &index, part: .header, atEnd: atEnd) else { return nil }
        guard declared > 0, let length = Int(exactly: declared), length <= limits.maxHeaderLength else {
            throw .headerTooLarge(length: declared, limit: limits.maxHeaderLength)
        }
        guard try has(length, at: index, part: .header, itemStart: itemStart, atEnd: atEnd) else { return nil }
        let bodyStart = index
        let bodyOffset = base + bodyStart
        let limits = self.limits
        let parsed = try buffer.withBytes { (raw) throws(CARError) -> ParsedHeader in
            try ParsedHeader.parse(
                UnsafeRawBufferPointer(rebasing: raw[bodyStart..<bodyStart + length]), offset: bodyOffset, limits: limits)
        }
        start = bodyStart + length
        return parsed
    }

    private mutating func readV2FixedHeader(atEnd: Bool) throws(CARError) -> Bool {
        let itemStart = offset
        guard try has(CARv2Header.length, at: start, part: .v2Header, itemStart: itemStart, atEnd: atEnd) else { return false }
        let header = CARv2Header(buffer[start..<start + CARv2Header.length])
        start += CARv2Header.length
        let (payload, toSkip) = try header.payload(headerEnd: offset)
        payloadEnd = payload.upperBound
        state = .skip(toSkip)
        return true
    }

    private mutating func readSection(atEnd: Bool) throws(CARError) -> Block? {
        let itemStart = offset
        var index = start
        guard let declared = try varint(at: &index, part: .section, atEnd: atEnd) else { return nil }
        guard let length = Int(exactly: declared), length <= limits.maxSectionLength else {
            throw .sectionTooLarge(length: declared, limit: limits.maxSectionLength, offset: itemStart)
        }
        guard length > 0 else { throw .invalidSection(reason: "its length is zero", offset: itemStart) }
        let bodyStart = index
        let (bodyEnd, overflow) = bodyStart.addingReportingOverflow(length)
        if let payloadEnd, overflow || base + bodyEnd > payloadEnd {
            throw .truncated(.section, offset: itemStart)  // runs past the CARv2 data payload
        }
        guard try has(length, at: bodyStart, part: .section, itemStart: itemStart, atEnd: atEnd) else { return nil }
        let cid: CID
        var cidEnd = 0
        do {
            cid = try buffer.withBytes { (raw) throws(CIDError) -> CID in
                try CID.read(from: UnsafeRawBufferPointer(rebasing: raw[bodyStart..<bodyEnd]), at: &cidEnd)
            }
        } catch {
            throw .invalidCID(error, offset: itemStart)
        }
        // `CID.read` counted from the rebased slice's start.
        let blockStart = bodyStart + cidEnd
        let blockLength = bodyEnd - blockStart
        guard blockLength <= limits.maxBlockLength else {
            throw .blockTooLarge(cid, length: blockLength, limit: limits.maxBlockLength, offset: itemStart)
        }
        if !limits.allowsTruncatedDigests, let function = HashFunction(code: cid.multihash.code),
            cid.multihash.digest.count < function.digestLength {
            throw .truncatedDigest(cid, offset: itemStart)
        }
        let block: Block
        do { block = try Block(cid: cid, bytes: Array(buffer[blockStart..<bodyEnd])) } catch {
            if case .hashMismatch = error { throw .hashMismatch(cid, offset: itemStart) }
            throw .unsupportedHash(cid, offset: itemStart)
        }
        start = bodyEnd
        return block
    }
}
