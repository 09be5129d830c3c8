using System.Text.RegularExpressions;

namespace VideoGen.Catalog;

/// <summary>
/// Source citations as people read them. The catalog and specs cite the vendor documents VideoGen was curated from by
/// their file names (<c>000_19877c27d990fa7a.txt § Request</c>, "seed 004"); a message names the vendor and the
/// document instead (<c>Elumenta's Video Generation page (docs.elumenta.ru) § Request</c>).
/// </summary>
internal static partial class SourceNames
{
    /// <summary>Each curated vendor document: its number, and the vendor and page it is a copy of.</summary>
    private static readonly Dictionary<string, string> Documents = new(StringComparer.Ordinal)
    {
        ["000"] = "Elumenta's Video Generation page (docs.elumenta.ru)",
        ["001"] = "Apiframe's Video Generation page (docs-v2.apiframe.ai/docs/videos)",
        ["002"] = "NeuralBox's Video Generation page (docs.neuralbox.top)",
        ["003"] = "AI/ML API's Luma Text-to-Video v2 page (docs.aimlapi.com)",
        ["004"] = "Oxen.ai's Video Generation page (docs.oxen.ai)",
    };

    /// <summary><paramref name="text"/> with every document file name and "seed NNN" replaced by the vendor and document name.</summary>
    /// <param name="text">A message or citation; null stays null.</param>
    /// <returns>The text as people read it.</returns>
    public static string? ForPeople(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = Citation().Replace(text, m => Documents.TryGetValue(m.Groups["n"].Value, out var name) ? name : "a vendor document");
        text = SeedWord().Replace(text, m => char.IsUpper(m.Value[0]) ? "The vendor's document" : "the vendor's document");
        return text;
    }

    // "seed 001_7e0760722cf2769e.txt", "000_19877c27d990fa7a.txt", "Seed 004", "seed 000's".
    [GeneratedRegex(@"(?:\b[Ss]eed\s+)?\b(?<n>\d{3})(?:_[0-9a-f]{16}\.txt\b)|\b[Ss]eed\s+(?<n>\d{3})\b")]
    private static partial Regex Citation();

    // What is left: "(seed)", "the seed's", "Neither seed".
    [GeneratedRegex(@"\b(?:[Tt]he\s+)?seed(?=\b)")]
    private static partial Regex SeedWord();
}
