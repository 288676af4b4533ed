import Foundation
import GDALKit
import GeoMonitor
import TestSupport
import Testing

/// GDAL 3 honours the authority axis order: EPSG:4326 is latitude, longitude. A GeoPackage stored in
/// EPSG:4326 holds x = longitude (the GeoPackage rule), and geomonitor must keep x = longitude
/// everywhere. Read the wrong way round, (108.4583, 11.9404) would be a latitude of 108° — off the Earth.
@Suite("Axis order")
struct AxisOrderTests {
    let gpkg = Fixture.path("axis_4326.gpkg")

    @Test func rawGeometryIsLonLat() throws {
        let layer = try VectorDataset(path: gpkg).layer("sites")
        #expect(layer.spatialReference?.authorityCode == "EPSG:4326")
        let rows = try readFeatures(layer, fields: ["ma"])
        // make_fixtures.sh wrote S1 at lon 108.4583, lat 11.9404 and S2 at lon 108.44, lat 11.96.
        guard case .point(let s1) = rows["S1"]?.geometry, case .point(let s2) = rows["S2"]?.geometry else {
            Issue.record("points missing")
            return
        }
        #expect(s1 == Coordinate(108.4583, 11.9404))
        #expect(s2 == Coordinate(108.44, 11.96))
        // The layer's extent in the same order: x from 108.44 to 108.4583, y from 11.9404 to 11.96.
        let e = try #require(layer.extent)
        #expect(e == BoundingBox(minX: 108.44, minY: 11.9404, maxX: 108.4583, maxY: 11.96))
    }

    /// The layer's own CRS object transforms (lon, lat) input: the result matches PROJ fed in
    /// authority order. Reference: `echo "11.9404 108.4583" | cs2cs -d 6 EPSG:4326 EPSG:5899`
    /// (PROJ 9.1.1, lat first as EPSG:4326 says) → 576951.717564 1320571.325321; while
    /// `echo "108.4583 11.9404" | cs2cs EPSG:4326 EPSG:5899` → "Invalid latitude" (the trap).
    /// pyproj 3.7.2 with always_xy=True agrees: (576951.7175636574, 1320571.3253208962). Tolerance 1 mm.
    @Test func layerCRSTransformsLonLat() throws {
        let layer = try VectorDataset(path: gpkg).layer("sites")
        let srs = try #require(layer.spatialReference)
        let t = try CoordinateTransform(from: srs, to: SpatialReference("EPSG:5899"))
        let en = try t.transform(Coordinate(108.4583, 11.9404))
        #expect(near(en.x, 576951.717564, 1e-3) && near(en.y, 1320571.325321, 1e-3), "\(en)")
    }

    /// Through the manifest loader: the projects stay lon, lat and land in Đà Lạt's square
    /// [108.40, 108.50] × [11.90, 12.00] of the fixture province.
    @Test func loadedProjectsAreLonLat() throws {
        let data = try Fixture.load("axis.yaml")
        #expect(data.projects.map(\.id) == ["S1", "S2"])
        guard case .point(let c) = data.project("S1")?.geometry else {
            Issue.record("S1 is not a point")
            return
        }
        #expect(near(c.x, 108.4583, 1e-12) && near(c.y, 11.9404, 1e-12), "\(c)")
        let a = try SpatialAssignment(data)
        #expect(a.shares.map { $0.map(\.code) } == [["672"], ["672"]])
    }

    /// A user-declared EPSG:4326 means lon, lat too (manifests declare CRSs for CSVs and bare shapefiles).
    @Test func declaredEPSG4326IsLonLat() throws {
        let data = try Fixture.load(
            yaml: """
                localities: {source: province.geojson, fields: {code: ma, name: ten}}
                projects:
                  - source: sample_lonlat.csv
                    crs: "EPSG:4326"
                    open_options: {X_POSSIBLE_NAMES: lon, Y_POSSIBLE_NAMES: lat}
                    kind: market
                    status: planned
                    fields: {id: ma}
                """)
        guard case .point(let c) = data.project("S1")?.geometry else {
            Issue.record("S1 is not a point")
            return
        }
        #expect(near(c.x, 108.4583, 1e-12) && near(c.y, 11.9404, 1e-12), "\(c)")
    }
}
