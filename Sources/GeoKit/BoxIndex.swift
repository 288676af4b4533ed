/// Geometries prepared for box queries: a ``PackedRTree`` over their bounding boxes narrows a
/// query to the few whose boxes meet it, and ``BoxFilter`` decides each of those exactly.
/// The one box-query engine of the package (the CLI's queries reach it through `ProjectIndex`,
/// the server's layers directly). Immutable and `Sendable`.
package struct BoxIndex: Sendable {
    /// The packed R-tree over the geometries' boxes.
    package let tree: PackedRTree
    private let geometries: [Geometry?]

    /// Indexes `geometries`; a nil or empty geometry is never found.
    package init(_ geometries: [Geometry?]) {
        self.geometries = geometries
        tree = PackedRTree(geometries.map { $0?.bounds })
    }

    /// Positions whose bounding box meets any of `boxes`, ascending, each once.
    package func candidates(_ boxes: [BoundingBox]) -> [Int] {
        guard let first = boxes.first else { return [] }
        if boxes.count == 1 { return tree.search(first) }
        return Array(Set(boxes.flatMap { tree.search($0) })).sorted()
    }

    /// Does the geometry at `position` meet any of `boxes` (``BoxFilter``)?
    package func meets(_ position: Int, _ boxes: [BoundingBox]) -> Bool {
        guard let g = geometries[position] else { return false }
        return boxes.contains { BoxFilter.intersects(g, $0) }
    }

    /// Positions whose geometry meets any of `boxes`, ascending, among those `keep` admits
    /// (asked first: a cheap attribute test spares the geometry test).
    package func matching(_ boxes: [BoundingBox], where keep: (Int) -> Bool = { _ in true }) -> [Int] {
        candidates(boxes).filter { keep($0) && meets($0, boxes) }
    }
}
