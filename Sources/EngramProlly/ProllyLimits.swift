/// The limits every Prolly tree obeys (DESIGN.md 4.2), checked on write and on read.
public enum ProllyLimits {
    /// The longest key, in bytes.
    public static let maxKeyLength = 1024
    /// The longest inline byte value, in bytes.
    public static let maxValueLength = 1024
    /// The longest link value, as a binary CID.
    public static let maxLinkLength = 128
    /// The most levels a tree may have (the root is at level `maxHeight - 1` at most).
    public static let maxHeight = 16
    /// The largest encoded node accepted. A node's payload stays under
    /// `Chunker.forcedSize` plus one entry, and each entry adds at most a few header bytes;
    /// 64 KiB bounds every node the rule can produce with room to spare.
    public static let maxNodeSize = 65536
}
