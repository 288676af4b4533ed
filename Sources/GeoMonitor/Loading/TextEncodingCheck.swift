import Foundation
internal import GDALKit

extension SourceReader {
    /// After `read`: one warning for the source when a mapped column held text that is not valid
    /// UTF-8 (it was read with U+FFFD replacement characters). It names the file, layer, column
    /// and first feature, shows the value, says which legacy Vietnamese encoding the bytes read as
    /// when exactly one fits, and how to declare it (`.cpg`, or `encoding:` under `key`).
    func textEncodingWarning(key: String) -> Warning? {
        guard let bad = invalidText.value else { return nil }
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

extension VectorLayer.InvalidText {
    /// Two reports of the same source (parts read in parallel) as one: the first value in
    /// feature order, the counts added.
    func merged(with other: VectorLayer.InvalidText?) -> VectorLayer.InvalidText {
        guard let other else { return self }
        var first = other.fid < fid ? other : self
        first.count = count + other.count
        return first
    }
}

extension SourceReader {
    /// Records what a layer's last read found that was not UTF-8.
    func noteInvalidText(of l: VectorLayer) {
        guard let bad = l.invalidText else { return }
        invalidText.mutate { $0 = bad.merged(with: $0) }
    }
}

enum TextEncodingCheck {
    /// A value shown in a one-line message: control characters as spaces, at most 60 characters.
    static func sample(_ s: String) -> String {
        let cleaned = String(String.UnicodeScalarView(s.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
        return cleaned.count > 60 ? String(cleaned.prefix(60)) + "…" : cleaned
    }
}
