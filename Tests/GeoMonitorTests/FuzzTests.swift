import Foundation
import GDALKit
import GeoKit
import GeoMonitor
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// A seeded mutation fuzzer (issue 7), no dependencies. Five targets:
//   manifest   Manifest.parse of mutated manifests; a manifest that parses is also loaded
//   catalog    TargetCatalog.parse of mutated catalogs; one that parses runs progress over the
//              fixture province and renders every output format
//   geojson    mutated GeoJSON bytes read through GDAL by Dataset.load, then assignment, check, query
//   shapefile  mutated .shp / .shx / .dbf bytes, same pipeline
//   localities mutated locality boundaries (GeoJSON) under fixed projects, same pipeline
// Every input must succeed or throw a GeoMonitorError; any other error is counted as unexpected
// and fails the test; a crash kills the process (a signal handler first prints the target and
// input number, and the input is on disk, see below).
//
// Environment:
//   GEOMONITOR_FUZZ_ITERATIONS           inputs per target (default: about 30 s for all four in a debug build)
//   GEOMONITOR_FUZZ_ITERATIONS_<TARGET>  per-target override, e.g. GEOMONITOR_FUZZ_ITERATIONS_MANIFEST
//   GEOMONITOR_FUZZ_SEED                 seed (default 1); input i of target t is a pure function of (seed, t, i)
//   GEOMONITOR_FUZZ_START                first input number (default 0), to resume after a crash
//   GEOMONITOR_FUZZ_REPLAY=target:i      run only input i of that target, keep it on disk and print its path
//   GEOMONITOR_FUZZ_DIR                  where inputs are written (default: a temporary folder)

// MARK: - PRNG and mutations

/// Mutates bytes: bit flips, byte sets, insertions, deletions, duplications, splices with other
/// seeds, and token-aware swaps (YAML / JSON / CSV tokens and "interesting" values).
struct Mutator: Sendable {
    let seeds: [[UInt8]]
    let tokens: [[UInt8]]
    /// Whether token swaps apply (text formats).
    let text: Bool

    static let interesting: [String] = [
        "0", "-1", "1e308", "-1e308", "1e-320", "NaN", "nan", "Infinity", "-Infinity", "inf", "9223372036854775807",
        "-9223372036854775809",
        "4294967295", "65536", "2147483648", "0.0", "-0", "1.7976931348623157e308", "null", "~", "true", "false", "yes",
        "\"\"", "''", "[]", "{}",
        "[[]]", "{a: 1}", "&a", "*a", "!!binary", "!!str", "!!int", "!!float", "<<", "? ", "- ", ": ", "|", ">", "#",
        "%YAML 1.2", "---", "...",
        "9999-99-99", "0000-00-00", "2024-02-30", "31/02/2024", "2024-12-31", "hôm qua", "Đ", "\u{0110}\u{0300}",
        "\u{FEFF}", "\u{0000}", "\\u0000",
        "\"type\"", "\"Feature\"", "\"FeatureCollection\"", "\"Polygon\"", "\"MultiPolygon\"", "\"LineString\"",
        "\"Point\"", "\"GeometryCollection\"",
        "\"coordinates\"", "\"geometry\"", "\"properties\"", "\"features\"", "\"crs\"", "\"bbox\"", "[108.45, 11.95]",
        "[[108.4, 11.9], [108.5, 12.0]]",
        "EPSG:4326", "EPSG:5899", "EPSG:0", "+proj=longlat", "sum", "count", "milestone", "indicator", "reduction",
        "at_least", "range", "reach",
        "completed", "stalled", "forest_planting", "area", "length", "trees", "province", "672", "\n", "\t", "\r\n",
        " ", ",", ":", "\"", "'",
    ]

    init(seeds: [[UInt8]], text: Bool) {
        self.seeds = seeds
        self.text = text
        var set = Set<[UInt8]>()
        var list: [[UInt8]] = []
        func add(_ t: [UInt8]) { if !t.isEmpty, t.count <= 64, set.insert(t).inserted { list.append(t) } }
        for s in Self.interesting { add(Array(s.utf8)) }
        if text {
            for seed in seeds { for t in Self.tokenize(seed) { add(t) } }
        }
        tokens = list
    }

    static let delimiters: Set<UInt8> = Set(" \t\r\n,:[]{}\"'".utf8)

    /// Token ranges: runs of non-delimiter bytes.
    static func tokenRanges(_ b: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start: Int? = nil
        for i in 0..<b.count {
            if delimiters.contains(b[i]) {
                if let s = start {
                    out.append(s..<i)
                    start = nil
                }
            } else if start == nil {
                start = i
            }
        }
        if let s = start { out.append(s..<b.count) }
        return out
    }

    static func tokenize(_ b: [UInt8]) -> [[UInt8]] { tokenRanges(b).map { Array(b[$0]) } }

    /// Mostly one mutation (to stay close to valid input and reach deep code), sometimes a burst.
    static func rounds(_ rng: inout XorShift) -> Int {
        let r = rng.below(100)
        return r < 60 ? 1 : r < 85 ? 2 : 3 + rng.below(6)
    }

    func mutate(_ rng: inout XorShift) -> [UInt8] {
        var b = rng.pick(seeds)
        let rounds = Self.rounds(&rng)
        for _ in 0..<rounds { mutateOnce(&b, &rng) }
        return b
    }

    func mutateOnce(_ b: inout [UInt8], _ rng: inout XorShift) {
        let op = rng.below(text ? 10 : 7)
        let n = b.count
        switch op {
        case 0 where n > 0:  // flip a bit
            let i = rng.below(n)
            b[i] ^= UInt8(1 << rng.below(8))
        case 1 where n > 0:  // set a byte to an interesting value
            let i = rng.below(n)
            b[i] = rng.pick([
                0, 0xFF, 0x7F, 0x80, 0x22, 0x5B, 0x5D, 0x7B, 0x7D, 0x3A, 0x2C, 0x2D, 0x0A, 0x20, 0x30, 0x39, 0x2E, 0x65,
                UInt8(truncatingIfNeeded: rng.next()),
            ])
        case 2:  // insert random bytes or a token
            let i = rng.below(n + 1)
            let ins: [UInt8] =
                rng.chance(50)
                ? rng.pick(tokens) : (0..<(1 + rng.below(8))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            b.insert(contentsOf: ins, at: i)
        case 3 where n > 0:  // delete a range
            let i = rng.below(n)
            let len = min(n - i, 1 + rng.below(rng.chance(10) ? 256 : 16))
            b.removeSubrange(i..<(i + len))
        case 4 where n > 0:  // duplicate a range somewhere
            let i = rng.below(n)
            let len = min(n - i, 1 + rng.below(64))
            let chunk = Array(b[i..<(i + len)])
            b.insert(contentsOf: chunk, at: rng.below(b.count + 1))
        case 5:  // splice: a prefix of this input, a suffix of another seed
            let other = rng.pick(seeds)
            let cut = rng.below(n + 1)
            let from = rng.below(other.count + 1)
            b = Array(b[0..<cut]) + Array(other[from...])
        case 6 where n >= 8:  // overwrite 1, 2, 4 or 8 bytes with an integer (binary formats: counts, offsets, lengths)
            let width = rng.pick([1, 2, 4, 8])
            let i = rng.below(n - width + 1)
            let v: UInt64 = rng.pick([
                0, 1, 0xFF, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x8000_0000, UInt64.max, rng.next(),
                UInt64(rng.below(1 << 16)),
            ])
            for k in 0..<width { b[i + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) }
        case 7, 8:  // replace a token by a token
            let ranges = Self.tokenRanges(b)
            guard !ranges.isEmpty else { return }
            let r = rng.pick(ranges)
            b.replaceSubrange(r, with: rng.pick(tokens))
        case 9:  // swap two tokens
            let ranges = Self.tokenRanges(b)
            guard ranges.count >= 2 else { return }
            var r1 = rng.pick(ranges)
            var r2 = rng.pick(ranges)
            if r1.lowerBound > r2.lowerBound { swap(&r1, &r2) }
            guard r1.upperBound <= r2.lowerBound else { return }
            let t1 = Array(b[r1])
            let t2 = Array(b[r2])
            b.replaceSubrange(r2, with: t1)
            b.replaceSubrange(r1, with: t2)
        default:
            b.insert(UInt8(truncatingIfNeeded: rng.next()), at: rng.below(n + 1))
        }
    }
}

// MARK: - Crash reporting

/// What each target is running right now, readable from a signal handler.
enum FuzzCrashReport {
    /// Per target slot: the input number being run (-1 when idle).
    nonisolated(unsafe) static let current: UnsafeMutablePointer<Int> = {
        let p = UnsafeMutablePointer<Int>.allocate(capacity: 8)
        p.initialize(repeating: -1, count: 8)
        return p
    }()
    /// Per target slot: a NUL-terminated message prefix ("fuzz: CRASH in target manifest, input file /tmp/…, input #").
    nonisolated(unsafe) static let prefixes: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: 8)
        p.initialize(repeating: nil, count: 8)
        return p
    }()
    nonisolated(unsafe) static var installed = false
    static let lock = NSLock()

    /// An alternate signal stack for the calling thread, so a stack overflow can still be reported.
    static func installAlternateStack() {
        let size = 1 << 16
        var ss = stack_t()
        ss.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        ss.ss_size = size
        ss.ss_flags = 0
        sigaltstack(&ss, nil)
    }

    static func register(slot: Int, message: String) {
        lock.lock()
        defer { lock.unlock() }
        prefixes[slot] = strdup(message)
        guard !installed else { return }
        installed = true
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            var sa = sigaction()
            #if canImport(Glibc)
                sa.__sigaction_handler.sa_handler = fuzzCrashHandler
            #else
                sa.__sigaction_u.__sa_handler = fuzzCrashHandler
            #endif
            sa.sa_flags = Int32(SA_ONSTACK)
            sigaction(sig, &sa, nil)
        }
    }
}

/// Async-signal-safe: writes which inputs were running, then re-raises with the default action.
private func fuzzCrashHandler(_ sig: Int32) {
    func put(_ p: UnsafePointer<CChar>) { _ = write(2, p, strlen(p)) }
    func putInt(_ v: Int) {
        var buf = [CChar](repeating: 0, count: 24)
        var x = v < 0 ? -v : v
        var i = 22
        repeat {
            buf[i] = CChar(48 + x % 10)
            x /= 10
            i -= 1
        } while x > 0 && i > 0
        if v < 0 {
            buf[i] = 45
            i -= 1
        }
        buf.withUnsafeBufferPointer { _ = write(2, $0.baseAddress! + i + 1, 22 - i) }
    }
    for slot in 0..<8 {
        let n = FuzzCrashReport.current[slot]
        guard n >= 0, let p = FuzzCrashReport.prefixes[slot] else { continue }
        put("\n")
        put(p)
        putInt(n)
        put(" (signal ")
        putInt(Int(sig))
        put(")\n")
    }
    signal(sig, SIG_DFL)
    raise(sig)
}

// MARK: - Targets

/// The outcome counts of one target.
struct FuzzTally {
    var inputs = 0, ok = 0, expectedErrors = 0, unexpected = 0
    var examples: [String] = []
    var slowest: (seconds: Double, index: Int) = (0, -1)
    var errorKinds: [String: Int] = [:]
}

enum FuzzEnv {
    static var env: [String: String] { ProcessInfo.processInfo.environment }
    static var seed: UInt64 { env["GEOMONITOR_FUZZ_SEED"].flatMap { UInt64($0) } ?? 1 }
    static var start: Int { env["GEOMONITOR_FUZZ_START"].flatMap { Int($0) } ?? 0 }
    static func iterations(_ target: String, default d: Int) -> Int {
        env["GEOMONITOR_FUZZ_ITERATIONS_\(target.uppercased())"].flatMap { Int($0) }
            ?? env["GEOMONITOR_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? d
    }
    /// (target, index) when replaying one input.
    static var replay: (String, Int)? {
        guard let r = env["GEOMONITOR_FUZZ_REPLAY"] else { return nil }
        let p = r.split(separator: ":")
        guard p.count == 2, let i = Int(p[1]) else { return nil }
        return (String(p[0]), i)
    }
    static func workDir(_ target: String) throws -> URL {
        let base = env["GEOMONITOR_FUZZ_DIR"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory
        let url = base.appendingPathComponent("geomonitor-fuzz-\(target)-\(getpid())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

enum FuzzPaths {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtures = tests.deletingLastPathComponent().appendingPathComponent("TestSupport/Fixtures").path
    static let badInputs = tests.appendingPathComponent("BadInputs").path
    static let geoData = tests.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("GeoData")
        .path
    static func bytes(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map { Array($0) } }
}

/// Writes an input in place, not atomically: an atomic write renames over the previous input,
/// which makes ext4 flush it to disk every time (auto_da_alloc) and the fuzzer I/O-bound.
func fuzzWrite(_ path: String, _ bytes: [UInt8]) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// Runs the pipeline of a loaded dataset: assignment, checks, a query and its outputs.
func fuzzExercise(_ d: Dataset) throws {
    let a = try SpatialAssignment(d)
    _ = try DataCheck.run(d, assignment: a)
    let rows = try d.query(ProjectQuery(), assignment: a)
    for f in QueryOutput.Format.allCases { _ = QueryOutput.render(rows, as: f) }
    _ = GeoJSONWriter().collection(GeoJSONExport.projects(d, assignment: a))
}

/// One fuzz target: seeds, a mutator, and what to do with an input.
struct FuzzTarget: @unchecked Sendable {
    var name: String
    var slot: Int
    var defaultIterations: Int
    var mutator: Mutator
    /// Writes the input where `run` reads it (and where a crash leaves it); returns its path.
    var write: (_ input: [UInt8], _ rng: inout XorShift, _ dir: URL) throws -> String
    var run: (_ input: [UInt8], _ path: String) throws -> Void
}

enum FuzzTargets {
    static func manifest() throws -> FuzzTarget {
        var seeds: [[UInt8]] = []
        for f in ["province.yaml", "axis.yaml", "noprj.yaml", "duplicates.yaml", "lookup.yaml"] {
            if let b = FuzzPaths.bytes("\(FuzzPaths.fixtures)/\(f)") { seeds.append(b) }
        }
        if let b = FuzzPaths.bytes("\(FuzzPaths.geoData)/manifest.yaml") { seeds.append(b) }
        for c in [
            "manifest-unknown-key-projects1", "encoding-cp1258-open-option", "crs-vn2000-xy-swapped-csv",
            "dup-ids-across-sources", "manifest-status-maps-to-noncanonical",
        ] {
            if let b = FuzzPaths.bytes("\(FuzzPaths.badInputs)/\(c)/manifest.yaml") { seeds.append(b) }
        }
        // The README's example, as JSON too.
        seeds.append(
            Array(
                #"{"name": "json", "localities": {"source": "province.geojson", "fields": {"code": "ma", "name": "ten"}}, "projects": [{"source": "projects.geojson", "fields": {"id": "ma", "kind": "loai", "status": "trang_thai", "date": "ngay"}, "values": {"kind": {"trồng rừng": "forest_planting", "đường": "road", "chợ": "market"}, "status": {"hoàn thành": "completed", "đang thi công": "under_construction", "đã khởi công": "under_construction", "chậm tiến độ": "stalled"}}}]}"#
                    .utf8))
        let anchor = "\(FuzzPaths.fixtures)/fuzz-manifest.yaml"
        return FuzzTarget(
            name: "manifest", slot: 0, defaultIterations: 1500, mutator: Mutator(seeds: seeds, text: true),
            write: { input, _, dir in
                let p = dir.appendingPathComponent("manifest.yaml").path
                try fuzzWrite(p, input)
                return p
            },
            run: { input, _ in
                let text = String(decoding: input, as: UTF8.self)
                let m = try Manifest.parse(text, file: anchor)
                // Load what parses (paths resolve in Fixtures), never anything remote.
                guard !text.contains("/vsi"), !text.contains("://"), !text.contains(":http") else { return }
                let d = try Dataset.load(m)
                try fuzzExercise(d)
            })
    }

    static func catalog() throws -> FuzzTarget {
        var seeds: [[UInt8]] = []
        if let b = FuzzPaths.bytes("\(FuzzPaths.geoData)/targets-2024.yaml") { seeds.append(b) }
        if let b = FuzzPaths.bytes("\(FuzzPaths.badInputs)/_common/targets.yaml") { seeds.append(b) }
        seeds.append(
            Array(
                """
                programme: {id: fuzz, title: "Fuzz", period: {start: 2024-01-01, end: 2024-12-31}}
                targets:
                  - {id: area, unit: ha, target: {at_least: 240}, measure: {kind: sum, of: area, select: {kind: [forest_planting], status: [completed], date: {from: 2024-01-01, to: 2024-12-31}}}, quotas: {"672": 120, "677": 120}}
                  - {id: trees, unit: trees, target: {about: 3000}, scope: "672", measure: {kind: sum, of: trees, select: {where: [{field: trees, op: ">", value: 0}], localities: ["672", "677"]}}}
                  - {id: roads, unit: km, target: {at_most: 5}, measure: {kind: sum, of: length, select: {kind: road}}}
                  - {id: markets, unit: markets, target: {below: 2}, measure: {kind: count, select: {kind: [market], targets: false}}}
                  - {id: dg, target: {reach: completed}, measure: {kind: milestone, project: DG-01, status: completed, by: 2024-09-30}}
                  - {id: dg2, measure: {kind: milestone, project: NOPE, status: approved}}
                  - {id: growth, unit: percent, target: {range: [7.2, 7.8]}, period: {start: 2024-01-01, end: 2024-06-30}, measure: {kind: indicator}}
                  - {id: cut, unit: cases, measure: {kind: reduction, baseline: 380, baseline_period: "2023", percent: 20}}
                  - {id: watch, measure: {kind: indicator}}

                """.utf8))
        for c in ["targets-unknown-where-field", "targets-range-low-above-high", "targets-duplicate-id"] {
            if let b = FuzzPaths.bytes("\(FuzzPaths.badInputs)/\(c)/targets.yaml") { seeds.append(b) }
        }
        let dataset = try Dataset.load(manifest: "\(FuzzPaths.fixtures)/province.yaml")
        let assignment = try SpatialAssignment(dataset)
        return FuzzTarget(
            name: "catalog", slot: 1, defaultIterations: 1000, mutator: Mutator(seeds: seeds, text: true),
            write: { input, _, dir in
                let p = dir.appendingPathComponent("targets.yaml").path
                try fuzzWrite(p, input)
                return p
            },
            run: { input, path in
                let catalog = try TargetCatalog.parse(String(decoding: input, as: UTF8.self), file: path)
                let engine = try ProgressEngine(
                    dataset: dataset, catalog: catalog, reports: IndicatorReports(), assignment: assignment)
                for day in [
                    Day(year: 2023, month: 6, day: 1)!, Day(year: 2024, month: 6, day: 30)!,
                    Day(year: 2025, month: 1, day: 1)!,
                ] {
                    let report = try engine.run(asOf: day)
                    for f in ProgressOutput.Format.allCases {
                        _ = ProgressOutput.render(report, as: f, localities: dataset.localities)
                    }
                }
            })
    }

    /// A manifest over a fixed localities file and the fuzzed project source.
    static func sourceManifest(_ dir: URL, source: String, extra: String, fields: String) throws -> Manifest {
        let text = """
            localities: {source: \(FuzzPaths.badInputs)/_common/localities.geojson, fields: {code: ma, name: ten, type: loai}}
            projects:
              - source: \(source)
                fields: \(fields)
            \(extra)
            """
        return try Manifest.parse(text, file: dir.appendingPathComponent("manifest.yaml").path)
    }

    static func geojson() throws -> FuzzTarget {
        var seeds: [[UInt8]] = []
        for p in [
            "\(FuzzPaths.badInputs)/_common/projects.geojson", "\(FuzzPaths.fixtures)/projects.geojson",
            "\(FuzzPaths.badInputs)/outside-localities/plots.geojson",
            "\(FuzzPaths.badInputs)/geometry-bowtie/plots.geojson",
            "\(FuzzPaths.badInputs)/geometry-empty/plots.geojson",
            "\(FuzzPaths.badInputs)/date-dmy-without-format/plots.geojson",
            "\(FuzzPaths.badInputs)/geometry-nan-coordinates/plots.geojson",
            "\(FuzzPaths.badInputs)/dup-ids-across-sources/sites.geojson",
            "\(FuzzPaths.badInputs)/geometry-two-point-ring/plots.geojson",
        ] {
            if let b = FuzzPaths.bytes(p) { seeds.append(b) }
        }
        // A compact multi-geometry seed: holes, multi-parts, a collection.
        seeds.append(
            Array(
                #"{"type":"FeatureCollection","features":[{"type":"Feature","id":7,"properties":{"ma":"G-1","ten":"a","loai":"forest_planting","trang_thai":"completed","ngay":"2024-01-02"},"geometry":{"type":"MultiPolygon","coordinates":[[[[108.41,11.91],[108.49,11.91],[108.49,11.99],[108.41,11.99],[108.41,11.91]],[[108.42,11.92],[108.42,11.93],[108.43,11.93],[108.43,11.92],[108.42,11.92]]],[[[108.51,11.91],[108.52,11.91],[108.52,11.92],[108.51,11.91]]]]}},{"type":"Feature","properties":{"ma":"G-2","ten":"b","loai":"road","trang_thai":"planned","ngay":null},"geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[108.45,11.95]},{"type":"LineString","coordinates":[[108.45,11.95],[108.55,12.05]]}]}},{"type":"Feature","properties":{"ma":"G-3","ten":"c","loai":"market","trang_thai":"stalled","ngay":"01/02/2024"},"geometry":{"type":"MultiPoint","coordinates":[[108.45,11.95],[108.55,11.95],[120,10]]}}]}"#
                    .utf8))
        let dir = try FuzzEnv.workDir("geojson")
        let path = dir.appendingPathComponent("fuzz.geojson").path
        let manifest = try sourceManifest(
            dir, source: path,
            extra: """
                    values:
                      kind: {"trồng rừng": forest_planting, "đường": road, "chợ": market}
                      status: {"hoàn thành": completed, "đang thi công": under_construction, "đã khởi công": under_construction, "chậm tiến độ": stalled}
                """, fields: "{id: ma, name: ten, kind: loai, status: trang_thai, date: ngay}")
        return FuzzTarget(
            name: "geojson", slot: 2, defaultIterations: 800, mutator: Mutator(seeds: seeds, text: true),
            write: { input, _, _ in
                try fuzzWrite(path, input)
                return path
            },
            run: { _, _ in
                let d = try Dataset.load(manifest)
                try fuzzExercise(d)
            })
    }

    /// Mutated locality boundaries (GeoJSON) under fixed projects: the locality loader, the
    /// region grid and every overlay meet broken boundaries.
    static func localities() throws -> FuzzTarget {
        var seeds: [[UInt8]] = []
        for p in [
            "\(FuzzPaths.badInputs)/_common/localities.geojson", "\(FuzzPaths.fixtures)/province.geojson",
            "\(FuzzPaths.fixtures)/lookup_localities.geojson",
        ] {
            if let b = FuzzPaths.bytes(p) { seeds.append(b) }
        }
        let dir = try FuzzEnv.workDir("localities")
        let path = dir.appendingPathComponent("localities.geojson").path
        let manifest = try Manifest.parse(
            """
            localities: {source: \(path), fields: {code: ma, name: ten}}
            projects:
              - source: \(FuzzPaths.badInputs)/_common/projects.geojson
                fields: {id: ma, name: ten, kind: loai, status: trang_thai, date: ngay}
            """, file: dir.appendingPathComponent("manifest.yaml").path)
        return FuzzTarget(
            name: "localities", slot: 4, defaultIterations: 400, mutator: Mutator(seeds: seeds, text: true),
            write: { input, _, _ in
                try fuzzWrite(path, input)
                return path
            },
            run: { _, _ in
                let d = try Dataset.load(manifest)
                try fuzzExercise(d)
                for l in d.localities.all.prefix(3) { _ = try d.query(ProjectQuery(locality: l.code)) }
            })
    }

    static func shapefile() throws -> FuzzTarget {
        // Seeds: each shapefile of Fixtures/sample_shp as one byte string per part; the mutator
        // works on the part chosen per input.
        let stems = ["areas", "lines", "points"].map { "\(FuzzPaths.fixtures)/sample_shp/\($0)" }
        var parts: [String: [[UInt8]]] = ["shp": [], "shx": [], "dbf": []]
        var prj: [UInt8] = []
        var cpg: [UInt8] = []
        for s in stems {
            for ext in ["shp", "shx", "dbf"] { if let b = FuzzPaths.bytes("\(s).\(ext)") { parts[ext]!.append(b) } }
            prj = FuzzPaths.bytes("\(s).prj") ?? prj
            cpg = FuzzPaths.bytes("\(s).cpg") ?? cpg
        }
        let mutators = parts.mapValues { Mutator(seeds: $0, text: false) }
        let dir = try FuzzEnv.workDir("shapefile")
        let stem = dir.appendingPathComponent("fuzz").path
        let manifest = try sourceManifest(
            dir, source: "\(stem).shp", extra: "    kind: forest_planting\n    status: completed\n",
            fields: "{id: ma, name: ten, trees: so_cay, area_ha: dien_tich, date: ngay}")
        return FuzzTarget(
            name: "shapefile", slot: 3, defaultIterations: 300, mutator: Mutator(seeds: parts["shp"]!, text: false),
            write: { _, rng, _ in
                // One of the three shapefiles, one of its parts mutated (the others as they are).
                let which = rng.below(stems.count)
                let ext = rng.pick(["shp", "shp", "shx", "dbf", "dbf"])
                for e in ["shp", "shx", "dbf"] {
                    let bytes = e == ext ? mutators[e]!.mutateFrom(parts[e]![which], &rng) : parts[e]![which]
                    try fuzzWrite("\(stem).\(e)", bytes)
                }
                try fuzzWrite("\(stem).prj", prj)
                try fuzzWrite("\(stem).cpg", cpg)
                return "\(stem).\(ext)"
            },
            run: { _, _ in
                let d = try Dataset.load(manifest)
                try fuzzExercise(d)
            })
    }
}

extension Mutator {
    /// Mutates a given starting input (instead of a random seed).
    func mutateFrom(_ start: [UInt8], _ rng: inout XorShift) -> [UInt8] {
        var b = start
        let rounds = Self.rounds(&rng)
        for _ in 0..<rounds { mutateOnce(&b, &rng) }
        return b
    }
}

/// Runs one target; returns its tally.
func fuzz(_ target: FuzzTarget) throws -> FuzzTally {
    let seed = FuzzEnv.seed
    var tally = FuzzTally()
    let dir = try FuzzEnv.workDir(target.name)
    var indices: Range<Int>
    if let (name, i) = FuzzEnv.replay {
        guard name == target.name else { return tally }
        indices = i..<(i + 1)
    } else {
        let start = FuzzEnv.start
        indices = start..<(start + FuzzEnv.iterations(target.name, default: target.defaultIterations))
    }
    FuzzCrashReport.installAlternateStack()
    var watch = FuzzWatchdog(slot: target.slot, name: target.name)
    watch.start()
    defer { watch.stop() }
    for i in indices {
        var rng = XorShift(seed: seed, target: UInt64(target.slot + 1), index: UInt64(i))
        let input = target.mutator.mutate(&rng)
        let path = try target.write(input, &rng, dir)
        if i == indices.lowerBound {
            FuzzCrashReport.register(
                slot: target.slot,
                message:
                    "fuzz: CRASH in target \(target.name) (seed \(seed)); the input is in \(dir.path) (last written: \((path as NSString).lastPathComponent)) — replay with GEOMONITOR_FUZZ_SEED=\(seed) GEOMONITOR_FUZZ_REPLAY=\(target.name):"
            )
        }
        FuzzCrashReport.current[target.slot] = i
        let t0 = DispatchTime.now().uptimeNanoseconds
        do {
            try target.run(input, path)
            tally.ok += 1
        } catch let e as GeoMonitorError {
            tally.expectedErrors += 1
            tally.errorKinds[e.kind.rawValue, default: 0] += 1
        } catch {
            tally.unexpected += 1
            if tally.examples.count < 10 {
                let keep = dir.appendingPathComponent("unexpected-\(i)").path
                try? FileManager.default.removeItem(atPath: keep)
                try? FileManager.default.copyItem(atPath: path, toPath: keep)
                tally.examples.append("input #\(i) (kept in \(keep)): \(type(of: error)): \(error)")
            }
        }
        let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        if dt > tally.slowest.seconds { tally.slowest = (dt, i) }
        FuzzCrashReport.current[target.slot] = -1
        tally.inputs += 1
        if FuzzEnv.replay != nil { print("fuzz: replayed \(target.name):\(i), input in \(path)") }
    }
    if FuzzEnv.replay == nil, tally.unexpected == 0 { try? FileManager.default.removeItem(at: dir) }
    return tally
}

/// Prints a line when one input runs longer than 30 s (a hang candidate).
struct FuzzWatchdog {
    let slot: Int
    let name: String
    var thread: Thread?
    final class Flag: @unchecked Sendable { var stop = false }
    let flag = Flag()

    mutating func start() {
        let flag = flag
        let slot = slot
        let name = name
        let t = Thread {
            var last = -1
            var since = Date()
            while !flag.stop {
                Thread.sleep(forTimeInterval: 1)
                let cur = FuzzCrashReport.current[slot]
                if cur != last {
                    last = cur
                    since = Date()
                    continue
                }
                if cur >= 0, Date().timeIntervalSince(since) > 30 {
                    FileHandle.standardError.write(
                        Data(
                            "fuzz: SLOW: \(name) input #\(cur) running for \(Int(Date().timeIntervalSince(since))) s\n"
                                .utf8))
                    since = Date()
                }
            }
        }
        thread = t
        t.start()
    }
    func stop() { flag.stop = true }
}

@Suite("Fuzz")
struct FuzzTests {
    func report(_ target: FuzzTarget, _ t: FuzzTally) {
        let kinds = t.errorKinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print(
            "fuzz: \(target.name): \(t.inputs) inputs, \(t.unexpected) crashes/unexpected errors (\(t.ok) ok, \(t.expectedErrors) GeoMonitorError: \(kinds)); slowest input #\(t.slowest.index) \(String(format: "%.3f", t.slowest.seconds)) s"
        )
        for e in t.examples { print("fuzz: \(target.name): unexpected: \(e)") }
        fflush(nil)
        #expect(
            t.unexpected == 0,
            "\(target.name): \(t.unexpected) inputs threw something other than GeoMonitorError:\n\(t.examples.joined(separator: "\n"))"
        )
    }

    @Test func manifestParser() throws {
        let t = try FuzzTargets.manifest()
        report(t, try fuzz(t))
    }
    @Test func targetCatalogParser() throws {
        let t = try FuzzTargets.catalog()
        report(t, try fuzz(t))
    }
    @Test func geoJSONThroughGDAL() throws {
        let t = try FuzzTargets.geojson()
        report(t, try fuzz(t))
    }
    @Test func shapefileThroughGDAL() throws {
        let t = try FuzzTargets.shapefile()
        report(t, try fuzz(t))
    }
    @Test func localityBoundariesThroughGDAL() throws {
        let t = try FuzzTargets.localities()
        report(t, try fuzz(t))
    }

    /// The generator is deterministic: the same (seed, target, index) gives the same input.
    @Test func mutationsAreReproducible() throws {
        let m = Mutator(seeds: [Array("localities: {source: a.geojson}\nprojects: []\n".utf8)], text: true)
        for i in 0..<50 {
            var a = XorShift(seed: 1, target: 1, index: UInt64(i))
            var b = XorShift(seed: 1, target: 1, index: UInt64(i))
            #expect(m.mutate(&a) == m.mutate(&b))
        }
    }
}
