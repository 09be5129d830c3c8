using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Runtime.Serialization;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace VideoGen.Validation;

/// <summary>How validation shows values and lists in messages, and the small checks every validator shares.</summary>
internal static class ValidationText
{
    /// <summary>The longest value shown in a message, in characters; longer values are cut (a prompt can be thousands of characters).</summary>
    public const int ValueLimit = 80;

    private static readonly ConcurrentDictionary<(Type, long), string> WireNames = new();

    /// <summary>Joins <paramref name="items"/> as <c>a, b or c</c>.</summary>
    public static string List<T>(IEnumerable<T> items, string conjunction = "or")
    {
        var texts = items.Select(i => Convert.ToString(i, CultureInfo.InvariantCulture) ?? string.Empty).ToList();
        return texts.Count switch
        {
            0 => "none",
            1 => texts[0],
            _ => string.Join(", ", texts.Take(texts.Count - 1)) + $" {conjunction} " + texts[^1],
        };
    }

    /// <summary>
    /// The value as a message shows it: cut to <see cref="ValueLimit"/> characters, URLs without
    /// their query or user info (a signed URL's query is a credential), dictionaries as their keys only.
    /// </summary>
    public static string? Show(object? value) => value switch
    {
        null => null,
        string s => Cut(s),
        Uri uri => Cut(ShowUri(uri)),
        bool b => b ? "true" : "false",
        Enum e => WireName(e),
        JValue { Value: null } => null,
        JValue { Value: Uri uri } => Cut(ShowUri(uri)),
        JValue { Value: string s } => Cut(s),
        JToken token => Cut(token.ToString(Formatting.None)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IDictionary dictionary => Cut("{" + string.Join(", ", dictionary.Keys.Cast<object>().Select(k => Convert.ToString(k, CultureInfo.InvariantCulture))) + "}"),
        IEnumerable items => Cut("[" + string.Join(", ", items.Cast<object?>().Select(i => Show(i) ?? "null")) + "]"),

        // Generated request types (a keyframe, a shot) show as their JSON, the form the vendor documents.
        _ => Cut(JsonConvert.SerializeObject(value, Formatting.None)),
    };

    /// <summary>The name an enum value has on the wire (its <see cref="EnumMemberAttribute"/> value, or its number), or its number when it is not a member.</summary>
    public static string WireName(Enum value)
    {
        var type = value.GetType();
        var number = Convert.ToInt64(value, CultureInfo.InvariantCulture);
        return WireNames.GetOrAdd((type, number), key =>
        {
            var name = Enum.GetName(key.Item1, value);
            var member = name is null ? null : key.Item1.GetField(name, BindingFlags.Public | BindingFlags.Static)?.GetCustomAttribute<EnumMemberAttribute>();
            return member?.Value ?? key.Item2.ToString(CultureInfo.InvariantCulture);
        });
    }

    /// <summary>Whether <paramref name="uri"/> is an absolute http or https URL with a host.</summary>
    public static bool IsHttpUrl(Uri? uri) =>
        uri is { IsAbsoluteUri: true } && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;

    /// <summary>Whether <paramref name="uri"/> is an absolute https URL with a host.</summary>
    public static bool IsHttpsUrl(Uri? uri) => IsHttpUrl(uri) && uri!.Scheme == Uri.UriSchemeHttps;

    /// <summary>The length of <paramref name="text"/> in characters as JSON Schema counts them (Unicode code points, not UTF-16 units).</summary>
    public static int Characters(string text) => text.EnumerateRunes().Count();

    /// <summary>The FluentValidation result as VideoGen failures (field, value as shown, what is allowed).</summary>
    public static IReadOnlyList<ValidationFailure> ToFailures(FluentValidation.Results.ValidationResult result) =>
        result.Errors.Where(e => e.Severity == FluentValidation.Severity.Error)
            .Select(e => new ValidationFailure(e.PropertyName, e.CustomState is Shown shown ? shown.Text : Show(e.AttemptedValue), e.ErrorMessage)).ToList();

    /// <summary>The FluentValidation result's warnings (rules of severity Warning) as VideoGen warnings.</summary>
    public static IReadOnlyList<ValidationWarning> ToWarnings(FluentValidation.Results.ValidationResult result) =>
        result.Errors.Where(e => e.Severity == FluentValidation.Severity.Warning)
            .Select(e => new ValidationWarning(e.PropertyName, e.CustomState is Shown shown ? shown.Text : Show(e.AttemptedValue), e.ErrorMessage)).ToList();

    private static string Cut(string text)
    {
        if (text.Length <= ValueLimit)
        {
            return text;
        }

        // Do not split a surrogate pair at the cut.
        var end = char.IsHighSurrogate(text[ValueLimit - 1]) ? ValueLimit - 1 : ValueLimit;
        return new StringBuilder(text, 0, end, end + 24).Append("… (").Append(Characters(text).ToString(CultureInfo.InvariantCulture)).Append(" characters)").ToString();
    }

    private static string ShowUri(Uri uri)
    {
        if (!uri.IsAbsoluteUri)
        {
            return uri.OriginalString;
        }

        var shown = uri.GetComponents(UriComponents.Scheme | UriComponents.Host | UriComponents.Port | UriComponents.Path, UriFormat.UriEscaped);
        return uri.Query.Length > 1 ? shown + "?…" : shown;
    }
}

/// <summary>A value to show in a failure instead of the property's own value (FluentValidation custom state).</summary>
/// <param name="Text">The text to show; <see langword="null"/> shows as missing.</param>
internal sealed record Shown(string? Text);
