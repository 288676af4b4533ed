/// Renders localities as `geomonitor localities` prints them.
public enum LocalityOutput {
    /// A table: code, name, type, parent, area in km² (one decimal, right-aligned).
    public static func table(_ localities: [Locality]) -> String {
        var t = TextTable(
            headers: ["code", "name", "type", "parent", "area_km2"], alignments: [.left, .left, .left, .left, .right])
        for l in localities {
            t.add([l.code, l.name, l.type ?? "", l.parent ?? "", NumberText.fixed(l.areaHa / 100, 1)])
        }
        return t.render()
    }
}
