import Foundation
import GeoKit

/// The `RegionGrid` of a locality directory, built once on first use (or ahead of it, while
/// projects are still being read) and shared by every assignment over that directory.
final class LocalityGrid: @unchecked Sendable {
    private let lock = NSLock()
    private var built: RegionGrid?

    /// The grid of `localities`, built now if no one has built it yet.
    func grid(for localities: [Locality]) -> RegionGrid {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        let g = LocalityIndex.grid(for: localities)
        built = g
        return g
    }
}

extension LocalityDirectory {
    /// The grid the assignment locates projects with (see ``SpatialAssignment``), built once.
    var regionGrid: RegionGrid { gridCache.grid(for: all) }
}
