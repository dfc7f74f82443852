/// The version `engram --version` prints.
enum EngramVersion {
    static let current = "0.1.0-dev"
}
