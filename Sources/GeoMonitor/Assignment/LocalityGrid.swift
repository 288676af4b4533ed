import Foundation
import GeoKit

/// The `RegionGrid` of a locality directory, built once on first use (or ahead of it, while
/// projects are still being read) and shared by every assignment over that directory.
final class LocalityGrid: @unchecked Sendable {
    private let lock = NSLock()
    private var built: RegionGrid?
    /// The localities' polygons in the equal-area plane, when the loader made them already (for
    /// the coverage scan): the grid takes them instead of projecting every vertex again.
    private var planar: [[Polygon]]?

    /// Hands over the localities' equal-area polygons (``LocalityIndex/planar(_:)``), kept until
    /// the grid is built.
    func seed(planar: [[Polygon]]) {
        lock.lock()
        defer { lock.unlock() }
        if built == nil { self.planar = planar }
    }

    /// The grid of `localities`, built now if no one has built it yet.
    func grid(for localities: [Locality]) -> RegionGrid {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        let g = LocalityIndex.grid(for: localities, planar: planar?.count == localities.count ? planar : nil)
        built = g
        planar = nil
        return g
    }
}

extension LocalityDirectory {
    /// The grid the assignment locates projects with (see ``SpatialAssignment``), built once.
    var regionGrid: RegionGrid { gridCache.grid(for: all) }
}
