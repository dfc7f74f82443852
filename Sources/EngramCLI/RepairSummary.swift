import EngramIPLD
import EngramStore

/// How `engram fsck --repair` prints a ``RepairReport``: lines for people, DAG-JSON for tools.
struct RepairSummary {
    let report: RepairReport

    init(_ report: RepairReport) { self.report = report }

    var text: String {
        guard report.damageFound else { return "no damage found: nothing changed" }
        var lines = report.findings.map { "damage: \($0)" }
        lines += report.missingFiles.map { "missing: \($0)" }
        lines += report.setAside.map { "set aside: \($0)" }
        for move in report.refsMoved {
            lines.append("ref \(move.name): \(move.from) -> \(move.to.map { "\($0)" } ?? "deleted") (\(move.missingBlocks) blocks missing)")
        }
        lines += report.commitsLost.map { "lost commit: \($0)" }
        lines.append("repaired: kept \(report.recordsKept) records, dropped \(report.recordsDropped) (\(report.bytesDropped) bytes); "
                     + "\(report.refsMoved.count) refs moved, \(report.commitsLost.count) commits lost, \(report.blocksMissing) blocks missing")
        return lines.joined(separator: "\n")
    }

    var ipld: IPLD {
        let moves: [IPLD] = report.refsMoved.map { m in
            .map(IPLDMap(uniqueKeysWithValues: [
                ("from", .string(m.from.description)), ("missing_blocks", .int(m.missingBlocks)), ("name", .string(m.name)),
                ("to", m.to.map { .string($0.description) } ?? .null),
            ]))
        }
        return .map(IPLDMap(uniqueKeysWithValues: [
            ("blocks_missing", .int(report.blocksMissing)), ("bytes_dropped", .int(report.bytesDropped)),
            ("commits_lost", .list(report.commitsLost.map { .string($0.description) })),
            ("damage_found", .bool(report.damageFound)), ("findings", .list(report.findings.map { .string($0) })),
            ("missing_files", .list(report.missingFiles.map { .string($0) })),
            ("records_dropped", .int(report.recordsDropped)), ("records_kept", .int(report.recordsKept)),
            ("refs_moved", .list(moves)), ("set_aside", .list(report.setAside.map { .string($0) })),
        ]))
    }
}
