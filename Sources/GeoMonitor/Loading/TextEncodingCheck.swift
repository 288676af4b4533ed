import Foundation
internal import GDALKit

extension SourceReader {
    /// After a read: one warning for the source when a mapped column held text that is not valid
    /// UTF-8 (`invalid`, what the read found; it was read with U+FFFD replacement characters). It
    /// names the file, layer, column and first feature, shows the value, says which legacy
    /// Vietnamese encoding the bytes read as when exactly one fits, and how to declare it (`.cpg`,
    /// or `encoding:` under `key`).
    func textEncodingWarning(_ invalid: VectorLayer.InvalidText?, key: String) -> Warning? {
        guard let bad = invalid else { return nil }
        let column = layer.fields.first { $0.index == bad.field }?.name ?? "#\(bad.field)"
        let more = bad.count > 1 ? " and \(bad.count - 1) more value(s)" : ""
        var message: String
        if bad.shownAsANSI {
            // Valid UTF-8 holding the characters a Windows code page shows for legacy bytes.
            let shown = TextEncodingCheck.sample(LegacyEncoding.cp1258.decode(bad.bytes))
            message =
                "\(displayPath): layer '\(layer.name)': text in column '\(column)' is legacy-encoded text stored as Windows code-page characters (feature \(bad.fid)\(more)): '\(shown)'"
        } else {
            let read = TextEncodingCheck.sample(String(decoding: bad.bytes, as: UTF8.self))
            message =
                "\(displayPath): layer '\(layer.name)': text in column '\(column)' is not valid UTF-8 (feature \(bad.fid)\(more)); it was read with U+FFFD replacement characters ('\(read)')"
        }
        let guess = LegacyEncoding.guess(bad.bytes)
        if let guess {
            message += "; it reads as \(guess.displayName): '\(TextEncodingCheck.sample(guess.decode(bad.bytes)))'"
        }
        let url = URL(fileURLWithPath: path)
        let isShapefile = !path.hasPrefix("/vsi") && ["shp", "dbf"].contains(url.pathExtension.lowercased())
        let cpgURL = url.deletingPathExtension().appendingPathExtension("cpg")
        let cpg =
            isShapefile
            ? (try? String(contentsOf: cpgURL, encoding: .ascii))?.trimmingCharacters(in: .whitespacesAndNewlines) : nil
        let declare =
            "set `encoding: \(guess?.manifestName ?? "CP1258")` under \(key) in the manifest"
            + (guess == nil ? " (or TCVN3, VNI, whatever the file was written in)" : "")
        if isShapefile, let cpg {
            message +=
                ". Its .cpg says '\(cpg)', which does not match the text: fix \(cpgURL.lastPathComponent) or \(declare)"
        } else if isShapefile, guess == nil || guess == .cp1258 {
            message +=
                ". The shapefile has no .cpg: add \(cpgURL.lastPathComponent) containing `1258` if it is Windows-1258, or \(declare)"
        } else if isShapefile {
            message += ". The shapefile has no .cpg: \(declare)"
        } else if ["tab", "mif", "mid"].contains(url.pathExtension.lowercased()) {
            message +=
                ". Declare it: \(declare)"
                + (guess == nil || guess == .cp1258
                    ? ", or set the MapInfo charset to WindowsVietnamese (`!charset WindowsVietnamese` in the .tab, `Charset \"WindowsVietnamese\"` in the .mif)"
                    : "")
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

enum TextEncodingCheck {
    /// A value shown in a one-line message: control characters as spaces, at most 60 characters.
    static func sample(_ s: String) -> String {
        let cleaned = String(
            String.UnicodeScalarView(s.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
        return cleaned.count > 60 ? String(cleaned.prefix(60)) + "…" : cleaned
    }
}

extension TextEncodingCheck {
    /// `decoder.finish()`, with a vocabulary error turned into the encoding's error when the
    /// source's text was found not to be what it claims (`encoding`, its `text-encoding` warning).
    static func finish(_ decoder: ProjectDecoder, encoding: Warning?) throws -> [Warning] {
        let outcome = Result { () throws(GeoMonitorError) -> [Warning] in try decoder.finish() }
        switch outcome {
        case .success(let w): return w
        case .failure(let e):
            if encoding != nil, e.key?.contains(".values.") == true { throw vocabularyError(e, encoding: encoding) }
            throw e
        }
    }

    /// A vocabulary error (an unmapped kind or status) over a source whose text is not what it
    /// claims: the error the user needs is the encoding's, naming the encoding the bytes read as
    /// and how to declare it (from the source's `text-encoding` warning).
    static func vocabularyError(_ e: GeoMonitorError, encoding: Warning?) -> GeoMonitorError {
        guard let w = encoding else { return e }
        var diagnosis = w.message
        if let file = e.file, diagnosis.hasPrefix(file + ": ") { diagnosis.removeFirst(file.count + 2) }
        if let layer = e.layer, diagnosis.hasPrefix("layer '\(layer)': ") {
            diagnosis.removeFirst("layer '\(layer)': ".count)
        }
        let head = e.message.components(separatedBy: " is not canonical").first ?? e.message
        let base = e.key?.components(separatedBy: ".values.").first
        return GeoMonitorError(
            .value, file: e.file, layer: e.layer, feature: e.feature, key: base.map { "\($0).encoding" } ?? e.key,
            "\(head) is not in the vocabulary because the text is in a legacy encoding: \(diagnosis)")
    }
}
