// geomonitor-bench-query — how fast a loaded dataset answers box queries once it is indexed.
//
//     swift run -c release geomonitor-bench-query MANIFEST [QUERIES] [BOX_KM]
//
// Loads every project of MANIFEST, splits them at locality borders once (SpatialAssignment),
// builds the ProjectIndex (packed R-tree), then answers QUERIES (default 1000) random
// BOX_KM × BOX_KM boxes (default 2 km) centred on random projects, and prints the load, assign
// and index times and the query latency distribution. Each answer is checked against a
// brute-force scan for the first 20 queries (same project ids), so a fast wrong answer fails.
import Foundation
import GeoMonitor

@inline(__always) func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

let args = CommandLine.arguments
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: geomonitor-bench-query MANIFEST [QUERIES] [BOX_KM]\n".utf8))
    exit(64)
}
let queries = args.count > 2 ? Int(args[2]) ?? 1000 : 1000
let boxKm = args.count > 3 ? Double(args[3]) ?? 2 : 2

do {
    var t = now()
    let data = try Dataset.load(manifest: args[1])
    let loadS = now() - t
    t = now()
    let assignment = try SpatialAssignment(data)
    let assignS = now() - t
    t = now()
    let index = ProjectIndex(data, assignment: assignment)
    let indexS = now() - t
    guard !data.projects.isEmpty else {
        print("no projects")
        exit(1)
    }

    var rng = SystemRandomNumberGenerator()
    var latencies: [Double] = []
    var rowsTotal = 0
    for k in 0..<queries {
        let p = data.projects[Int.random(in: 0..<data.projects.count, using: &rng)]
        guard let c = p.geometry.bounds?.center else { continue }
        let dLat = boxKm / 2 / 110.574
        let dLon = boxKm / 2 / (111.320 * cos(c.y * .pi / 180))
        let box = BoundingBox(minX: c.x - dLon, minY: c.y - dLat, maxX: c.x + dLon, maxY: c.y + dLat)
        let q = ProjectQuery(bbox: LonLatBox(box))
        let t0 = now()
        let rows = try index.query(q)
        latencies.append(now() - t0)
        rowsTotal += rows.count
        if k < 20 {
            // Brute force: every project with a vertex in the box or meeting it (same rule).
            let fast = Set(rows.map(\.project.id))
            let slow = Set(try data.query(q, assignment: assignment).map(\.project.id))
            guard fast == slow else {
                print("MISMATCH on query \(k): \(fast.count) vs \(slow.count) projects")
                exit(1)
            }
        }
    }
    latencies.sort()
    func pct(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] * 1000 }
    print(
        String(
            format: "projects %d | load %.2f s | assign %.2f s | index %.3f s", data.projects.count, loadS, assignS,
            indexS))
    print(
        String(
            format:
                "%d queries of %.1f km boxes: mean %.0f rows | p50 %.2f ms | p90 %.2f ms | p99 %.2f ms | max %.2f ms",
            latencies.count, boxKm, Double(rowsTotal) / Double(max(1, latencies.count)), pct(0.5), pct(0.9), pct(0.99),
            latencies.last.map { $0 * 1000 } ?? 0))
} catch {
    FileHandle.standardError.write(Data("geomonitor-bench-query: \(error)\n".utf8))
    exit(1)
}
