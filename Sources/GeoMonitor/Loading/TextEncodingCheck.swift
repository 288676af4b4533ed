import Foundation
import GDALKit

extension SourceReader {
    /// After `read`: one warning for the source when a mapped column held text that is not valid
    /// UTF-8 (it was read with U+FFFD replacement characters). It names the file, layer, column
    /// and first feature, shows the value, says which legacy Vietnamese encoding the bytes read as
    /// when exactly one fits, and how to declare it (`.cpg`, or `encoding:` under `key`).
    func textEncodingWarning(key: String) -> Warning? {
        guard let bad = layer.invalidText else { return nil }
        let column = layer.fields.first { $0.index == bad.field }?.name ?? "#\(bad.field)"
        let read = TextEncodingCheck.sample(String(decoding: bad.bytes, as: UTF8.self))
        var message = "\(displayPath): layer '\(layer.name)': text in column '\(column)' is not valid UTF-8 (feature \(bad.fid)"
            + (bad.count > 1 ? " and \(bad.count - 1) more value(s)" : "") + "); it was read with U+FFFD replacement characters ('\(read)')"
        let guess = LegacyEncoding.guess(bad.bytes)
        if let guess {
            message += "; it reads as \(guess.displayName): '\(TextEncodingCheck.sample(guess.decode(bad.bytes)))'"
        }
        let url = URL(fileURLWithPath: path)
        let isShapefile = !path.hasPrefix("/vsi") && ["shp", "dbf"].contains(url.pathExtension.lowercased())
        let cpgURL = url.deletingPathExtension().appendingPathExtension("cpg")
        let cpg = isShapefile ? (try? String(contentsOf: cpgURL, encoding: .ascii))?.trimmingCharacters(in: .whitespacesAndNewlines) : nil
        let declare = "set `encoding: \(guess?.manifestName ?? "CP1258")` under \(key) in the manifest"
            + (guess == nil ? " (or TCVN3, VNI, whatever the file was written in)" : "")
        if isShapefile, let cpg {
            message += ". Its .cpg says '\(cpg)', which does not match the text: fix \(cpgURL.lastPathComponent) or \(declare)"
        } else if isShapefile, guess == nil || guess == .cp1258 {
            message += ". The shapefile has no .cpg: add \(cpgURL.lastPathComponent) containing `1258` if it is Windows-1258, or \(declare)"
        } else if isShapefile {
            message += ". The shapefile has no .cpg: \(declare)"
        } else {
            message += ". Convert the file to UTF-8 or \(declare)"
        }
        return Warning(code: "text-encoding", message)
    }
}

enum TextEncodingCheck {
    /// A value shown in a one-line message: control characters as spaces, at most 60 characters.
    static func sample(_ s: String) -> String {
        let cleaned = String(String.UnicodeScalarView(s.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
        return cleaned.count > 60 ? String(cleaned.prefix(60)) + "…" : cleaned
    }
}
