import ArgumentParser
import GeoMonitor

/// `--lang`: the language of outputs written for people (tables, Markdown, maps, charts, reports).
struct LanguageOption: ParsableArguments {
    @Option(
        name: .customLong("lang"),
        help: ArgumentHelp(
            "Language of text for people: vi, en, or a language file (default: the manifest's `language:`, else en). JSON, CSV and GeoJSON stay canonical.",
            valueName: "CODE"))
    var lang: String?

    /// The language chosen: `--lang`, else the manifest's, else English.
    func language(_ manifest: Manifest?) throws -> Language { try Language.resolve(lang, manifest: manifest) }
}
