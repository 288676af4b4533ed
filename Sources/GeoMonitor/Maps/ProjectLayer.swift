import Foundation

extension MapRenderer.Context {
    /// What the projects legend must show.
    struct LegendItems {
        var kinds: Set<ProjectKind> = []
        var encodings: Set<String> = []
        var dots = false
        var aggregated = false
        var lines = false
    }

    /// Draws projects by kind (colour) and status (solid / dashed / hollow / crossed). Polygons too
    /// small for the page become dots sized by area; beyond a few thousand dots they are aggregated
    /// into a grid of dots whose area is the planted area of the cell.
    func drawProjects(_ indices: [Int], into svg: inout SVGDocument) throws -> LegendItems {
        var items = LegendItems()
        let projects = r.dataset.projects
        struct Dot {
            let i: Int
            let c: Coordinate
            let areaPx: Double
        }
        var dots: [Dot] = []
        var shapes: [(Int, Geometry)] = []
        let projected = try proj.project(indices.map { projects[$0].geometry })
        for (k, i) in indices.enumerated() {
            let g = page(projected[k])
            guard let b = g.bounds else { continue }
            if g.dimension == .area && max(b.width, b.height) < 4 {
                dots.append(Dot(i: i, c: b.center, areaPx: Planar.area(g)))
            } else {
                shapes.append((i, g))
            }
        }
        svg.open("g", [("id", "projects")])
        svg.raw("\n")
        // Areas first, then lines, then points, so small things stay on top.
        let order: [Geometry.Dimension] = [.area, .line, .point]
        for dim in order {
            for (i, g) in shapes where g.dimension == dim {
                let p = projects[i]
                let enc = style.encoding(p.status)
                items.kinds.insert(p.kind)
                items.encodings.insert(enc)
                var a = attributes(p, cls: "")
                switch dim {
                case .area:
                    a[1].1 = "p k-\(p.kind.rawValue) s-\(enc)"
                    a.insert(("d", svg.ringPath(g.polygons.flatMap(\.rings))), at: 2)
                    a.insert(("fill-rule", "evenodd"), at: 3)
                    svg.element("path", a, title: tooltip(p))
                case .line:
                    items.lines = true
                    a[1].1 = "ln k-\(p.kind.rawValue) s-\(enc)"
                    a.insert(("d", svg.linePath(g.lines)), at: 2)
                    svg.element("path", a, title: tooltip(p))
                case .point:
                    a[1].1 = "p k-\(p.kind.rawValue) s-\(enc)"
                    for (n, c) in g.points.enumerated() {
                        var pa = a
                        if n > 0 { pa[0].1 += "-\(n)" }
                        pa.insert(
                            contentsOf: [
                                ("cx", svg.num(c.x)), ("cy", svg.num(c.y)), ("r", svg.num(style.pointRadius)),
                            ], at: 2)
                        svg.element("circle", pa, title: tooltip(p))
                    }
                }
            }
        }
        if !dots.isEmpty {
            items.dots = true
            if dots.count <= 3000 {
                // Lean markup: dots of one kind and status share a group carrying their class, kind
                // and status; each dot keeps its id, its place and its own tooltip (id, name, date,
                // area, trees), and nothing the group or the tooltip already says.
                var groups: [String: [Dot]] = [:]
                var order: [String] = []
                // Dots at the smallest radius take it from the group's CSS (`.dm circle{r:…}`).
                func radius(_ d: Dot) -> Double { max(style.dotMinRadius, (d.areaPx / .pi).squareRoot()) }
                for d in dots {
                    let p = projects[d.i]
                    let key =
                        "\(p.kind.rawValue) \(style.encoding(p.status)) \(p.status.rawValue) \(radius(d) <= style.dotMinRadius)"
                    if groups[key] == nil { order.append(key) }
                    groups[key, default: []].append(d)
                }
                for key in order {
                    guard let members = groups[key], let first = members.first else { continue }
                    let p0 = projects[first.i]
                    let enc = style.encoding(p0.status)
                    items.kinds.insert(p0.kind)
                    items.encodings.insert(enc)
                    let smallest = radius(first) <= style.dotMinRadius
                    svg.open(
                        "g",
                        [
                            ("class", "p dot k-\(p0.kind.rawValue) s-\(enc)\(smallest ? " dm" : "")"),
                            ("data-kind", p0.kind.rawValue), ("data-status", p0.status.rawValue),
                        ])
                    svg.raw(
                        "<title>\(XMLText.escape("\(lang.kind(p0.kind)) · \(lang.projectStatus(p0.status))"))</title>\n"
                    )
                    for d in members {
                        let p = projects[d.i]
                        let r = smallest ? "" : " r=\"\(svg.num(radius(d)))\""
                        svg.raw(
                            "<circle id=\"prj-\(XMLText.token(p.id))\" cx=\"\(svg.num(d.c.x))\" cy=\"\(svg.num(d.c.y))\"\(r)><title>\(XMLText.escape(dotTooltip(p)))</title></circle>\n"
                        )
                    }
                    svg.close("g")
                }
            } else {
                items.aggregated = true
                let cell = 8.0
                struct Bin {
                    var n = 0
                    var ha = 0.0
                    var sx = 0.0
                    var sy = 0.0
                    var kind: ProjectKind = .other
                }
                var bins: [Int64: Bin] = [:]
                for d in dots where d.c.isFinite && abs(d.c.x) < 1e9 && abs(d.c.y) < 1e9 {
                    let key =
                        Int64((d.c.x / cell).rounded(.down)) << 32 | Int64((d.c.y / cell).rounded(.down)) & 0xffff_ffff
                    let p = projects[d.i]
                    bins[key, default: Bin()].n += 1
                    bins[key]!.ha += p.areaHa
                    bins[key]!.sx += d.c.x
                    bins[key]!.sy += d.c.y
                    bins[key]!.kind = p.kind
                    items.kinds.insert(p.kind)
                    items.encodings.insert(style.encoding(p.status))
                }
                let haPerPx2 = 1 / (frame.scale * frame.scale) / 10_000  // ha per square page pixel
                for (key, b) in bins.sorted(by: { $0.key < $1.key }) {
                    let radius = max(style.dotMinRadius, (b.ha / haPerPx2 / .pi).squareRoot())
                    let title = lang("{1} plots, {2} ha", lang.number(Double(b.n), 0), lang.number(b.ha, 1))
                    svg.element(
                        "circle",
                        [
                            ("id", "bin-\(key)"), ("class", "p dot k-\(b.kind.rawValue) s-solid"),
                            ("cx", svg.num(b.sx / Double(b.n))), ("cy", svg.num(b.sy / Double(b.n))),
                            ("r", svg.num(radius)),
                            ("data-count", String(b.n)), ("data-area-ha", JSONValue.format(b.ha, decimals: 2)),
                        ], title: title)
                }
            }
        }
        svg.close("g")
        return items
    }

    func attributes(_ p: Project, cls: String) -> [(String, String)] {
        var a: [(String, String)] = [
            ("id", "prj-\(XMLText.token(p.id))"), ("class", cls),
            ("data-id", p.id), ("data-kind", p.kind.rawValue), ("data-status", p.status.rawValue),
        ]
        if let d = p.date { a.append(("data-date", d.description)) }
        switch p.geometry.dimension {
        case .area: a.append(("data-area-ha", JSONValue.format(p.areaHa, decimals: 2)))
        case .line: a.append(("data-length-km", JSONValue.format(p.lengthKm, decimals: 2)))
        case .point: break
        }
        if let t = p.trees { a.append(("data-trees", JSONValue.format(t, decimals: 0))) }
        return a
    }

    /// A dot's tooltip: what its group (kind, status) does not say — id, name, date, area, trees, `;`-separated.
    func dotTooltip(_ p: Project) -> String {
        var s = p.name == p.id || p.name.isEmpty ? p.id : "\(p.name) [\(p.id)]"
        if let d = p.date { s += "; \(lang.date(d))" }
        s += "; \(lang.number(p.areaHa, 2)) ha"
        if let t = p.trees { s += "; " + lang("{1} trees", lang.number(t, 0)) }
        return s
    }

    func tooltip(_ p: Project) -> String {
        var s = "\(p.name) [\(p.id)]\n\(lang.kind(p.kind)) · \(lang.projectStatus(p.status))"
        if let d = p.date { s += " · \(lang.date(d))" }
        switch p.geometry.dimension {
        case .area: s += "\n\(lang.number(p.areaHa, 2)) ha"
        case .line: s += "\n\(lang.number(p.lengthKm, 2)) km"
        case .point: break
        }
        if let t = p.trees { s += " · " + lang("{1} trees", lang.number(t, 0)) }
        return s
    }
}
