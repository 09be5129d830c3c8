using System.CommandLine;
using Spectre.Console;
using VideoGen.Catalog;

namespace VideoGen.Cli;

/// <summary>videogen models [--vendor V]: the catalog as a table.</summary>
internal static class ModelsCommand
{
    public static Command Create(CliContext context)
    {
        var vendor = new Option<string?>("--vendor", "-v") { Description = "Only this vendor's models." };
        var json = new Option<bool>("--json") { Description = "Print the catalog entries as JSON." };
        var command = new Command("models", "List every model VideoGen knows: modes, durations, aspect ratios, processing time and price.") { vendor, json };
        command.SetAction(result =>
        {
            var o = context.CreateOutput(result.GetValue(json));
            try
            {
                var vendors = result.GetValue(vendor) is { } id ? [RequestOptions.ResolveVendor(id)] : VideoModelCatalog.Default.Vendors;
                if (o.IsJson)
                {
                    o.Document(vendors.SelectMany(v => v.Models.Select(m => new
                    {
                        vendor = v.Id,
                        model = m.Id,
                        modes = ModeNames(m.Modes),
                        durations = m.Durations,
                        aspectRatios = m.AspectRatios,
                        processingSeconds = new { min = m.ProcessingTime.Min.TotalSeconds, max = m.ProcessingTime.Max.TotalSeconds, inferred = m.ProcessingTime.Inferred },
                        price = m.Price is null ? null : new { min = m.Price.Min, max = m.Price.Max, unit = m.Price.Unit },
                        isDefault = m.Id == v.DefaultModel,
                    })));
                    return ExitCodes.Success;
                }

                // Ids are what a user copies into --model: never wrapped or cut; the descriptive columns wrap instead.
                var table = new Table()
                    .AddColumn(new TableColumn("vendor").NoWrap())
                    .AddColumn(new TableColumn("model").NoWrap())
                    .AddColumns("modes", "durations (s)", "aspect ratios", "time (s)", "price");
                foreach (var v in vendors)
                {
                    foreach (var m in v.Models)
                    {
                        table.AddRow(
                            Markup.Escape(v.Id),
                            Markup.Escape(m.Id + (m.Id == v.DefaultModel ? " *" : string.Empty)),
                            Markup.Escape(Modes(m.Modes)),
                            m.Durations.Count > 0 ? string.Join(", ", m.Durations) : m.MaxDurationSeconds is { } max ? $"≤ {max}" : "-",
                            m.AspectRatios.Count > 0 ? string.Join(" ", m.AspectRatios) : "-",
                            $"{m.ProcessingTime.Min.TotalSeconds:0}–{m.ProcessingTime.Max.TotalSeconds:0}{(m.ProcessingTime.Inferred ? " (inferred)" : string.Empty)}",
                            m.Price is { } p ? Markup.Escape(p.IsExact ? $"{p.Min:0.##} {p.Unit}" : $"{p.Min:0.##}–{p.Max:0.##} {p.Unit}") : "unknown");
                    }
                }

                o.Results.Write(table);
                o.Results.MarkupLine("* = the vendor's default model");
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is CliUsageException)
            {
                return o.Fail(e);
            }
        });
        return command;
    }

    private static string Modes(VideoModes modes) => string.Join(", ", ModeNames(modes));

    /// <summary>The model's modes as words, one per mode (--json: an array).</summary>
    private static IEnumerable<string> ModeNames(VideoModes modes) => Enum.GetValues<VideoModes>()
        .Where(m => m != VideoModes.None && modes.HasFlag(m))
        .Select(m => m switch
        {
            VideoModes.TextToVideo => "text",
            VideoModes.ImageToVideo => "image",
            VideoModes.EndFrame => "end frame",
            VideoModes.ReferenceImages => "references",
            VideoModes.Audio => "audio",
            VideoModes.Extend => "extend",
            _ => m.ToString(),
        });
}
