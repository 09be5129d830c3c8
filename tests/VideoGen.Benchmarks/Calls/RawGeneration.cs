using System.Text.Json.Serialization;

namespace VideoGen.Benchmarks.Calls;

/// <summary>The hand-written baseline's view of an Elumenta generation: what a developer writes without VideoGen.</summary>
public sealed record RawGeneration(
    long Id,
    string Status,
    string? ModelSlug,
    Uri? ResultUrl,
    int? TokensSpent,
    RawResultMetadata? ResultMetadata,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? CompletedAt,
    string? Error);

/// <summary>The hand-written baseline's <c>result_metadata</c>.</summary>
public sealed record RawResultMetadata(int? Duration, int? Width, int? Height);

/// <summary>System.Text.Json source-generated metadata for the baseline, snake_case as on the wire.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(RawGeneration))]
public sealed partial class RawJson : JsonSerializerContext;
