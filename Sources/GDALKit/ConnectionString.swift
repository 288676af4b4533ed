import Foundation

/// GDAL database connection strings (`PG:dbname=geo host=localhost user=forest password=…`):
/// recognising them, and showing them without their secrets.
///
/// A connection string is not a file: no file-size check or "no such file" applies to it, and
/// libpq's environment variables (`PGHOST`, `PGUSER`, `PGPASSWORD` …), `~/.pgpass` and service
/// files (`PG:service=register`) are honoured by libpq itself.
public enum ConnectionString {
    /// True for a GDAL `PG:` connection (PostgreSQL / PostGIS), whatever the case of the prefix.
    public static func isPostgreSQL(_ path: String) -> Bool { path.prefix(3).uppercased() == "PG:" }

    /// `text` with every password removed: `password=…` (quoted or not, any case) becomes
    /// `password=***`, and the password of a `postgresql://user:secret@host` URI becomes `***`.
    /// Any other text is returned unchanged.
    public static func redacted(_ text: String) -> String {
        guard text.range(of: "password", options: .caseInsensitive) != nil || text.contains("://") else { return text }
        var out = ""
        var rest = Substring(text)
        // key=value pairs: password = 'quoted \' value' or password=bare
        while let r = rest.range(of: "password", options: .caseInsensitive) {
            out += rest[..<r.upperBound]
            var after = rest[r.upperBound...]
            let spaces = after.prefix { $0 == " " }
            after = after.dropFirst(spaces.count)
            guard after.first == "=" else {
                rest = rest[r.upperBound...]
                continue
            }
            after = after.dropFirst()
            after = after.drop { $0 == " " }
            if after.first == "'" {
                var i = after.index(after: after.startIndex)
                while i < after.endIndex {
                    if after[i] == "\\" {
                        i = after.index(i, offsetBy: 2, limitedBy: after.endIndex) ?? after.endIndex
                        continue
                    }
                    if after[i] == "'" {
                        i = after.index(after: i)
                        break
                    }
                    i = after.index(after: i)
                }
                after = after[i...]
            } else {
                after = after.drop { !$0.isWhitespace && $0 != "'" && $0 != "\"" && $0 != "&" }
            }
            out += "=***"
            rest = after
        }
        out += rest
        // URIs: scheme://user:secret@host
        var result = ""
        var s = Substring(out)
        while let r = s.range(of: "://") {
            result += s[..<r.upperBound]
            let tail = s[r.upperBound...]
            let authority = tail.prefix { $0 != "/" && $0 != "?" && !$0.isWhitespace }
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                result += authority[..<colon] + ":***" + authority[at...]
            } else {
                result += authority
            }
            s = tail.dropFirst(authority.count)
        }
        return result + s
    }
}
