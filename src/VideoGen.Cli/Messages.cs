using System.Text.RegularExpressions;

namespace VideoGen.Cli;

/// <summary>
/// What a failure says to a person at the command line: the flag they typed (<c>--duration</c>, not the library's
/// <c>DurationSeconds</c>), the value and what is allowed, without .NET's parameter names or type names.
/// </summary>
internal static partial class Messages
{
    /// <summary>The request's fields (the library's property names and the vendors' wire names) as the flags that set them.</summary>
    private static readonly Dictionary<string, string> Flags = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Prompt"] = "<prompt>",
        ["Model"] = "--model",
        ["DurationSeconds"] = "--duration",
        ["duration"] = "--duration",
        ["AspectRatio"] = "--aspect-ratio",
        ["aspect_ratio"] = "--aspect-ratio",
        ["Resolution"] = "--resolution",
        ["StartImage"] = "--image",
        ["image_url"] = "--image",
        ["input_image"] = "--image",
        ["keyframes.frame0"] = "--image",
        ["EndImage"] = "--end-image",
        ["keyframes.frame1"] = "--end-image",
        ["NegativePrompt"] = "--negative-prompt",
        ["negative_prompt"] = "--negative-prompt",
        ["Extend"] = "<generation-id>",
        ["Extend.GenerationId"] = "<generation-id>",
        ["MaxCost"] = "--budget",
        ["MaxTotalCost"] = "--budget",
    };

    /// <summary>The same fields as a batch line's JSON keys (the keys videogen batch reads).</summary>
    private static readonly Dictionary<string, string> LineKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Prompt"] = "prompt",
        ["Model"] = "model",
        ["DurationSeconds"] = "duration",
        ["AspectRatio"] = "aspectRatio",
        ["aspect_ratio"] = "aspectRatio",
        ["StartImage"] = "image",
        ["image_url"] = "image",
        ["input_image"] = "image",
        ["keyframes.frame0"] = "image",
        ["EndImage"] = "endImage",
        ["keyframes.frame1"] = "endImage",
        ["NegativePrompt"] = "negativePrompt",
        ["negative_prompt"] = "negativePrompt",
        ["Resolution"] = "resolution",
    };

    /// <summary>The flag that sets <paramref name="field"/>, or the field itself when no flag does.</summary>
    public static string Flag(string field) => Flags.GetValueOrDefault(field, field);

    /// <summary>The batch line key of <paramref name="field"/>, or the field itself.</summary>
    public static string LineKey(string field) => LineKeys.GetValueOrDefault(field, field);

    /// <summary>A failure as the command line shows it: flag, value, what is allowed.</summary>
    public static string Describe(ValidationFailure failure) =>
        $"{Flag(failure.Field)}: {(failure.Value is null ? "missing" : $"'{failure.Value}' is not allowed")}; {WithFlags(failure.Allowed)}.";

    /// <summary>The request's property names in a library text (<c>leave NegativePrompt unset</c>) as the flags that set them.</summary>
    internal static string WithFlags(string text) => PropertyName().Replace(WithoutLibraryNames(text), m => m.Value switch
    {
        "Extend" or "Extend.GenerationId" => "the extension (videogen extend)",
        "Loop" => "looping",
        "WebhookUrl" => "a webhook",
        "AdditionalProperties" => "extra vendor fields",
        var name => Flag(name),
    });

    /// <summary>The message of <paramref name="exception"/> for a person at the command line.</summary>
    public static string ForPeople(Exception exception) => exception switch
    {
        VideoGenValidationException { Failures.Count: 1 } v =>
            $"{Describe(v.Failures[0])} Nothing was sent{(v.Vendor is null ? "" : $" to {v.Vendor}")}.",
        VideoGenValidationException v =>
            $"{Count(v.Failures.Count, "problem")}; nothing was sent{(v.Vendor is null ? "" : $" to {v.Vendor}")}:{Environment.NewLine}" +
            string.Join(Environment.NewLine, v.Failures.Select(f => "  " + Describe(f))),
        ArgumentException a => WithFlags(WithoutParameter(a)),
        _ => WithoutLibraryNames(exception.Message),
    };

    /// <summary>The library's settings a message names, as the flag that sets them at the command line (or nothing).</summary>
    private static readonly Dictionary<string, string> LibrarySettings = new(StringComparer.Ordinal)
    {
        ["VideoBudgetOptions.MaxTotalCost"] = "--budget",
        ["WaitOptions.Timeout"] = "--timeout",
        ["DownloadOptions.Timeout"] = "--timeout",
    };

    /// <summary>Library advice that names settings the command line sets for the user, in the command line's words.</summary>
    private static readonly Dictionary<string, string> LibraryAdvice = new(StringComparer.Ordinal)
    {
        ["a local sandbox's own origin is trusted through DownloadOptions.TrustedOrigins (or turn DownloadOptions.BlockPrivateNetworks off)."] =
            "only the --base-url host's own results may be on a local address.",
    };

    /// <summary>.NET's own exception types a message may quote (<c>(TaskCanceledException: ...)</c>), as what happened.</summary>
    private static readonly Dictionary<string, string> ExceptionWords = new(StringComparer.Ordinal)
    {
        ["TaskCanceled"] = "cancelled",
        ["OperationCanceled"] = "cancelled",
        ["Timeout"] = "timed out",
        ["HttpRequest"] = "network error",
        ["HttpIO"] = "connection error",
        ["Socket"] = "network error",
        ["IO"] = "file or connection error",
        ["UnauthorizedAccess"] = "permission denied",
        ["Sqlite"] = "database error",
        ["Npgsql"] = "database error",
        ["Postgres"] = "database error",
        ["JsonReader"] = "unreadable JSON",
        ["JsonSerialization"] = "unreadable JSON",
    };

    /// <summary>
    /// Library messages name the library's settings (<c>(DownloadOptions.MaxBytes)</c>) and .NET's types
    /// (<c>TaskCanceledException: </c>) for library users; at the command line a setting becomes the flag that sets it,
    /// one no flag sets is left out, a .NET type becomes what happened, and a stack trace is dropped.
    /// </summary>
    public static string WithoutLibraryNames(string text)
    {
        foreach (var (library, words) in LibraryAdvice)
        {
            text = text.Replace(library, words, StringComparison.Ordinal);
        }

        text = LibrarySetting().Replace(text, m =>
            LibrarySettings.TryGetValue(m.Groups["name"].Value, out var flag) ? $" ({flag})" : string.Empty);
        text = BareLibrarySetting().Replace(text, m =>
            LibrarySettings.TryGetValue(m.Value, out var flag) ? flag : "a setting of the library");
        text = text.Replace("HttpClient.Timeout", "request timeout", StringComparison.Ordinal);
        text = StackTraceLine().Replace(text, string.Empty);
        return ExceptionName().Replace(text, m =>
            ExceptionWords.GetValueOrDefault(m.Groups["kind"].Value, "error") + m.Groups["colon"].Value);
    }

    /// <summary>A library exception's type as a word for <c>--json</c>'s <c>error.type</c>: <c>InsufficientCreditsException</c> → <c>insufficientCredits</c>.</summary>
    public static string ErrorType(Exception exception)
    {
        var name = exception.GetType().Name;
        name = name.EndsWith("Exception", StringComparison.Ordinal) ? name[..^"Exception".Length] : name;
        name = name.StartsWith("VideoGen", StringComparison.Ordinal) ? name["VideoGen".Length..] : name;
        name = name.StartsWith("Cli", StringComparison.Ordinal) ? name["Cli".Length..] : name;
        return name.Length == 0 ? "vendor" : char.ToLowerInvariant(name[0]) + name[1..];
    }

    /// <summary>
    /// A validation failure's field in <c>--json</c>: the vendor's wire name as the vendor spells it (<c>aspect_ratio</c>),
    /// a field of the request as a batch line spells it (<c>DurationSeconds</c> → <c>duration</c>), never a C# property name.
    /// </summary>
    public static string FieldName(string field) =>
        field.Length == 0 || !char.IsUpper(field[0]) ? field
        : LineKeys.TryGetValue(field, out var key) ? key
        : char.ToLowerInvariant(field[0]) + field[1..];

    /// <summary><paramref name="count"/> and the noun, singular or plural (<c>1 poll</c>, <c>2 polls</c>).</summary>
    public static string Count(long count, string noun, string? plural = null) =>
        $"{count:N0} {(count == 1 ? noun : plural ?? noun + "s")}";

    /// <summary>
    /// An <see cref="ArgumentException"/>'s words without .NET's " (Parameter 'jobId')"; the argument named as the user
    /// typed it instead (the job id is the command's &lt;id&gt;).
    /// </summary>
    private static string WithoutParameter(ArgumentException exception)
    {
        var text = ParameterSuffix().Replace(exception.Message, string.Empty).Trim();
        return exception.ParamName switch
        {
            "jobId" when text.StartsWith("The value cannot", StringComparison.Ordinal) => "<id>: the job id is empty; give the vendor's job id.",
            "jobId" => $"<id>: {text}",
            _ => text,
        };
    }

    /// <summary>
    /// A System.CommandLine parse error in words: its .NET type names become what is allowed
    /// (<c>System.Nullable`1[System.Int32]</c> → a whole number).
    /// </summary>
    public static string ParseError(string message)
    {
        var match = CannotParse().Match(message);
        if (!match.Success)
        {
            return message;
        }

        var type = match.Groups["type"].Value;
        var allowed = type switch
        {
            _ when type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) => "a whole number",
            _ when type.Contains("Decimal", StringComparison.Ordinal) || type.Contains("Double", StringComparison.Ordinal) => "a number",
            _ when type.Contains("TimeSpan", StringComparison.Ordinal) => "a duration such as 90, 90s, 2m or 1.5m",
            _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
            _ => "a value of the right kind",
        };
        return $"{match.Groups["option"].Value}: '{match.Groups["value"].Value}' is not allowed; use {allowed}.";
    }

    [GeneratedRegex(@"\s*\((?<name>[A-Z][A-Za-z]*(?:Options|Configuration)\.[A-Z][A-Za-z]*)\)")]
    private static partial Regex LibrarySetting();

    [GeneratedRegex(@"\b[A-Z][A-Za-z]*(?:Options|Configuration)\.[A-Z][A-Za-z]*\b")]
    private static partial Regex BareLibrarySetting();

    [GeneratedRegex(@"\b(?:System\.(?:[A-Za-z]+\.)*|Microsoft\.(?:[A-Za-z]+\.)*|Npgsql\.)?(?<kind>[A-Z][A-Za-z]*)?Exception\b(?<colon>:)?")]
    private static partial Regex ExceptionName();

    [GeneratedRegex(@"(?m)^[ \t]*(?:at [^\r\n]+\)(?: in [^\r\n]+:line \d+)?|--- End of [^\r\n]*---)[ \t]*\r?\n?")]
    private static partial Regex StackTraceLine();

    [GeneratedRegex(@"\b(?:DurationSeconds|StartImage|EndImage|AspectRatio|NegativePrompt|Extend\.GenerationId|Extend|Loop|WebhookUrl|AdditionalProperties|MaxCost)\b")]
    private static partial Regex PropertyName();

    [GeneratedRegex(@"\s*\(Parameter '[^']*'\)")]
    private static partial Regex ParameterSuffix();

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (option|argument) '(?<option>[^']+)' as expected type '(?<type>[^']+)'\.?$")]
    private static partial Regex CannotParse();
}
