using Newtonsoft.Json.Linq;

namespace VideoGen.ContractTests.Infrastructure;

/// <summary>
/// The vendors' own documented examples (VendorDocs/&lt;vendor&gt;/*.json), each with the URL it was read from. A file
/// names the operation (or a component <c>schema</c>) it belongs to, its kind (request or response), its status, the body,
/// what the adapter must read from it (<c>expect</c>), whether it holds to the vendor's own text (<c>valid</c>, with a
/// <c>note</c> when not), and for requests the path it is sent to (<c>path</c>, when the operation's path has parameters)
/// and, where the local sandbox is recorded as answering something else than a success, that status and why;
/// <c>placeholders</c> lists the JSON paths of ids that name the page author's own resources (replaced when sent).
/// </summary>
internal static class VendorDocsCorpus
{
    public static readonly string[] Vendors = ["apiframe", "elumenta", "neuralbox", "aimlapi", "oxen"];

    private static readonly Lazy<IReadOnlyList<DocExample>> LazyAll = new(Load);

    public static IReadOnlyList<DocExample> All => LazyAll.Value;

    private static IReadOnlyList<DocExample> Load()
    {
        var list = new List<DocExample>();
        foreach (var vendor in Vendors)
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "VendorDocs", vendor);
            foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
            {
                var root = JObject.Parse(File.ReadAllText(file));
                list.Add(new DocExample(
                    $"{vendor}/{Path.GetFileNameWithoutExtension(file)}",
                    vendor,
                    (string)root["source"]!,
                    (string)root["operation"]!,
                    (string?)root["schema"],
                    (string)root["kind"]!,
                    (int?)root["status"] ?? 200,
                    root["body"]!,
                    root["expect"] as JObject,
                    (bool?)root["valid"] ?? true,
                    (string?)root["note"],
                    (string?)root["path"],
                    (int?)root["sandboxStatus"],
                    (string?)root["sandboxNote"],
                    (root["placeholders"] as JObject)?.Properties().Select(p => p.Name).ToList() ?? []));
            }
        }

        return list;
    }
}

/// <summary>One documented example; see <see cref="VendorDocsCorpus"/>.</summary>
internal sealed record DocExample(
    string Name,
    string Vendor,
    string Source,
    string Operation,
    string? Schema,
    string Kind,
    int Status,
    JToken Body,
    JObject? Expect,
    bool Valid,
    string? Note,
    string? Path,
    int? SandboxStatus,
    string? SandboxNote,
    IReadOnlyList<string> Placeholders);
