// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "geomonitor",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "GeoMonitor", targets: ["GeoMonitor"]),
        .executable(name: "geomonitor", targets: ["geomonitor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.4"),
        // Documentation only: `swift package generate-documentation --target GeoMonitor`.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // GDAL/OGR and PROJ's geodesic routines, exposed to Swift. Nothing else.
        .systemLibrary(
            name: "CGDAL",
            pkgConfig: "gdal",
            providers: [.apt(["libgdal-dev", "libproj-dev"])]
        ),
        // librsvg and cairo's headers, for PrintKitTests to check PrintKit's declarations against.
        .systemLibrary(
            name: "CRsvg",
            pkgConfig: "librsvg-2.0",
            providers: [.apt(["librsvg2-dev", "libcairo2-dev"])]
        ),
        // glibc's malloc.h (mallopt), for the command-line tool's allocator settings. No library.
        .systemLibrary(name: "CAllocator"),
        // A thin Swift layer over librsvg/cairo: SVG pages to PDF. The only module that sees their
        // C pointers; it opens the libraries when the first PDF is made (RenderLibraries), so no
        // other command loads them.
        .target(name: "PrintKit"),
        // Pure Swift geometry values and planar algorithms. No C.
        .target(name: "GeoKit"),
        // A thin, safe Swift layer over GDAL/OGR/PROJ. The only module that sees C pointers.
        .target(name: "GDALKit", dependencies: ["CGDAL", "GeoKit"]),
        // The domain: manifest, localities, projects, targets, measures, progress, outputs.
        .target(
            name: "GeoMonitor",
            dependencies: [
                "GeoKit", "GDALKit", "PrintKit", .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
            ],
            resources: []
        ),
        // OGC API – Features server and web map over a loaded dataset.
        .target(
            name: "GeoMonitorServer",
            dependencies: [
                "GeoMonitor", "GeoKit", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ]
        ),
        .executableTarget(
            name: "geomonitor",
            dependencies: [
                "GeoMonitor", "GeoMonitorServer", "CAllocator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmark (not a test): box-query latency over a loaded, indexed dataset.
        .executableTarget(
            name: "geomonitor-bench-query", dependencies: ["GeoMonitor"], path: "Tests/Benchmarks/QueryBench"),
        // Tests: one target per module, in the folder of the same name under Tests/. What several
        // share — the hand-made fixtures (bundled), Fixture, near …, which, CLIBinary — is TestSupport.
        .target(
            name: "TestSupport",
            dependencies: ["GeoMonitor", "GDALKit", "GeoKit"],
            path: "Tests/TestSupport",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "GeoKitTests", dependencies: ["GeoKit"]),
        .testTarget(name: "GDALKitTests", dependencies: ["GDALKit", "GeoKit", "GeoMonitor", "TestSupport"]),
        .testTarget(name: "PrintKitTests", dependencies: ["PrintKit", "CRsvg", "TestSupport"]),
        .testTarget(
            name: "GeoMonitorTests",
            dependencies: ["GeoMonitor", "GDALKit", "GeoKit", "TestSupport"],
            // BadInputs is read from the source tree by path (RobustnessTests), not bundled.
            exclude: ["BadInputs"]
        ),
        .testTarget(
            name: "GeoMonitorServerTests",
            dependencies: ["GeoMonitorServer", "GeoMonitor", "GDALKit", "GeoKit", "TestSupport"],
            // The browser and contract scripts are run from the source tree by path (TestScripts).
            exclude: ["Scripts"]
        ),
        // The geomonitor binary run as users run it (found next to the test bundle by CLIBinary).
        .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
    ]
)
