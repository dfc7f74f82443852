/// `damaged/`: where repair keeps the original of every file it replaces (SPEC.md 4.9).
///
/// Each repair takes the next free number `n` and gives every damaged file a second name,
/// `damaged/<n>/<its path in the store>` (a hard link, so nothing is copied and the bytes are
/// exactly the original's), before anything else changes. No command ever deletes from it.
enum DamagedFiles {
    static func directory(_ store: String) -> String { store + "/damaged" }

    /// Links each of `paths` (files inside `store`) into a new `damaged/<n>/`, fsyncs the
    /// directories, and returns the new names relative to `store`.
    static func setAside(_ paths: [String], in store: String, sys: SystemCalls) throws(StoreError) -> [String] {
        guard !paths.isEmpty else { return [] }
        let root = directory(store)
        try sys.mkdir(root)
        // Names that are not small decimal numbers are someone else's: ignore them.
        let taken = try sys.list(root).compactMap { $0.count <= 9 ? Int($0) : nil }
        let number = (taken.max() ?? 0) + 1
        let set = root + "/\(number)"
        try sys.mkdir(set)
        var names: [String] = []
        var directories: [String] = []
        for path in paths {
            let relative = path.hasPrefix(store + "/") ? String(path.dropFirst(store.count + 1)) : String(path.split(separator: "/").last ?? "")
            var parent = set
            for component in relative.split(separator: "/").dropLast() {
                parent += "/" + component
                try sys.mkdir(parent)
            }
            if !directories.contains(parent) { directories.append(parent) }
            try sys.link(path, set + "/" + relative)
            names.append("damaged/\(number)/" + relative)
        }
        // Innermost first, so each new name is durable before the one that leads to it.
        for d in [set, root, store] where !directories.contains(d) { directories.append(d) }
        for d in directories { try sys.syncDirectory(d) }
        return names
    }
}
