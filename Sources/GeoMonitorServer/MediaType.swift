/// The media types the server answers with.
enum MediaType {
    static let json = "application/json"
    static let geojson = "application/geo+json"
    static let openapi = "application/vnd.oai.openapi+json;version=3.0"
    static let html = "text/html; charset=utf-8"
}
