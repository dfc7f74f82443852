// Foundation's `Data` is a byte string through the bridge (its own `Codable` writes a list of
// numbers). Kept in this one file, imported internally, and reached only by a type comparison,
// so the rest of the module and its clients do not depend on Foundation.
#if canImport(FoundationEssentials)
internal import FoundationEssentials
#elseif canImport(Foundation)
internal import Foundation
#endif

#if canImport(FoundationEssentials) || canImport(Foundation)
/// The bytes of `value` when it is a `Data`, else nil.
func foundationDataBytes<T>(_ value: T) -> [UInt8]? {
    guard T.self == Data.self else { return nil }
    return [UInt8](value as! Data)
}

/// A `Data` read from a byte string when `T` is `Data`, else nil.
func foundationData<T>(from decoder: IPLDDecoderImpl) throws -> T? {
    guard T.self == Data.self else { return nil }
    return (Data(try decoder.unboxBytes()) as! T)
}
#else
func foundationDataBytes<T>(_ value: T) -> [UInt8]? { nil }
func foundationData<T>(from decoder: IPLDDecoderImpl) throws -> T? { nil }
#endif
