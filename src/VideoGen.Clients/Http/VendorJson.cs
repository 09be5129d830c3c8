using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Newtonsoft.Json.Serialization;

namespace VideoGen.Http;

// CUSTOM: every generated client's UpdateJsonSerializerSettings hook (build/templates/Client.Class.Body.liquid, through VendorClientBase.ConfigureJsonSerializerSettings)
// calls Configure. Generated DTOs are how we send; this is how we read, and reading is tolerant
// (README "What VideoGen tolerates"): a vendor's deviation from its own document must not make a
// paid job unreadable. What cannot be read at all still fails as a JsonException, which generated
// code turns into an ApiException, never a bare exception from inside JSON.NET.

/// <summary>The JSON settings every generated vendor client reads responses with.</summary>
internal static class VendorJson
{
    /// <summary>
    /// JSON names of the fields a job cannot do without (its id, status, result, error and cost): a value
    /// of one of these that cannot be read fails the read. Any other field that cannot be read is left null
    /// and reported (<see cref="BeginRead"/>).
    /// </summary>
    internal static readonly IReadOnlySet<string> EssentialFields = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "id", "jobId", "generation_id", "status", "state", "result_url", "video", "videoUrls", "url", "error",
        "failure_reason", "tokens_spent", "cost", "generations", "jobs", "assets", "result",
    };

    private static readonly AsyncLocal<ReadContext?> Current = new();

    /// <summary>Settings for payloads VideoGen reads outside a generated client (webhook deliveries).</summary>
    internal static JsonSerializerSettings Settings { get; } = Create();

    /// <summary>Applies VideoGen's reader settings to a generated client's serializer settings.</summary>
    public static void Configure(JsonSerializerSettings settings)
    {
        // Date-looking strings stay strings until a DateTimeOffset property asks for one (so text in
        // free-form fields is not silently reformatted, and a bad date cannot fail a field that is not a date).
        settings.DateParseHandling = DateParseHandling.None;
        settings.Converters.Add(LenientDateTimeOffsetConverter.Instance);
        settings.Converters.Add(LenientStringConverter.Instance);
        settings.Error += SkipUnreadableField;
    }

    /// <summary>
    /// Starts collecting, for the current async flow, what the tolerant reader let pass (fields left null because
    /// they could not be read, a 2xx read as the documented one); the caller logs it when the call is done.
    /// </summary>
    /// <returns>The context the reads of this flow add to.</returns>
    internal static ReadContext BeginRead()
    {
        var context = new ReadContext();
        Current.Value = context;
        return context;
    }

    /// <summary>Records, for the caller's error messages, the status a response really had when it was read as another 2xx.</summary>
    internal static void UndocumentedStatus(System.Net.HttpStatusCode status)
    {
        if (Current.Value is { } context)
        {
            context.UndocumentedStatus = status;
        }
    }

    /// <summary>What the tolerant reader let pass during one vendor call.</summary>
    internal sealed class ReadContext
    {
        /// <summary>Fields left null, as <c>path: reason</c>.</summary>
        public List<string> SkippedFields { get; } = [];

        /// <summary>The real status of a 2xx the operation does not document, read as the documented one.</summary>
        public System.Net.HttpStatusCode? UndocumentedStatus { get; set; }
    }

    private static JsonSerializerSettings Create()
    {
        var settings = new JsonSerializerSettings();
        Configure(settings);
        return settings;
    }

    /// <summary>
    /// An informational field whose value does not fit its type (an enum value the spec does not list, a date in a
    /// form no reader knows, a number where an object was documented) is left at its default and reported, so the
    /// job is still read; the fields in <see cref="EssentialFields"/> are never skipped.
    /// </summary>
    private static void SkipUnreadableField(object? sender, Newtonsoft.Json.Serialization.ErrorEventArgs args)
    {
        var context = args.ErrorContext;

        // The event bubbles up through every enclosing object: decide once, where the error happened.
        if (!ReferenceEquals(args.CurrentObject, context.OriginalObject) || context.Member is not string member)
        {
            return;
        }

        if (EssentialFields.Contains(member) || context.Error is not JsonException || context.Error is JsonReaderException { Message: var m } && m.Contains("Unexpected end", StringComparison.Ordinal))
        {
            return;
        }

        context.Handled = true;
        var message = context.Error.Message;
        var cut = message.IndexOf(" Path '", StringComparison.Ordinal);
        var reason = cut > 0 ? message[..cut] : message;
        Current.Value?.SkippedFields.Add($"{context.Path}: {(reason.Length > 160 ? reason[..160] + "…" : reason)}");
    }

    /// <summary>
    /// Reads <see cref="DateTimeOffset"/> in the forms vendors send: ISO 8601 with or without a zone (no zone is
    /// UTC), with any number of fraction digits, RFC 1123, and Unix time in seconds or milliseconds (a number or
    /// a numeric string). A value it cannot represent is a <see cref="JsonSerializationException"/> (JSON.NET
    /// itself throws <see cref="ArgumentOutOfRangeException"/> there, which escapes generated code's error handling).
    /// </summary>
    internal sealed class LenientDateTimeOffsetConverter : JsonConverter
    {
        public static readonly LenientDateTimeOffsetConverter Instance = new();

        // Beyond this many seconds a Unix time is taken to be in milliseconds (year 5138 in seconds).
        private const double MillisecondsThreshold = 100_000_000_000;

        public override bool CanWrite => false;

        public override bool CanConvert(Type objectType) => objectType == typeof(DateTimeOffset) || objectType == typeof(DateTimeOffset?);

        public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
        {
            switch (reader.TokenType)
            {
                case JsonToken.Null when objectType == typeof(DateTimeOffset?):
                    return null;
                case JsonToken.Date when reader.Value is DateTimeOffset value:
                    return value;
                case JsonToken.Date when reader.Value is DateTime value:
                    return new DateTimeOffset(value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value);
                case JsonToken.Integer or JsonToken.Float when reader.Value is IConvertible number && TryUnix(number.ToDouble(CultureInfo.InvariantCulture), out var unix):
                    return unix;
                case JsonToken.String when reader.Value is string text && TryParse(text, out var parsed):
                    return parsed;
                default:
                    var shown = reader.Value is string s && s.Length > 64 ? s[..64] + "…" : reader.Value;
                    throw new JsonSerializationException($"Could not read {reader.TokenType} '{shown}' as a date-time. Path '{reader.Path}'.");
            }
        }

        public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer) =>
            throw new NotSupportedException("Only reads: writing uses JSON.NET's own date format.");

        internal static bool TryParse(string text, out DateTimeOffset value)
        {
            text = text.Trim();
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return TryUnix(number, out value);
            }

            // More than the 7 fraction digits .NET reads (nanoseconds): the extra digits are below a tick.
            var dot = text.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0)
            {
                var end = dot + 1;
                while (end < text.Length && char.IsAsciiDigit(text[end]))
                {
                    end++;
                }

                if (end - dot - 1 > 7)
                {
                    text = text[..(dot + 8)] + text[end..];
                }
            }

            try
            {
                return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
            }
            catch (ArgumentOutOfRangeException)
            {
                value = default;
                return false;
            }
        }

        private static bool TryUnix(double seconds, out DateTimeOffset value)
        {
            value = default;
            if (double.IsNaN(seconds) || double.IsInfinity(seconds))
            {
                return false;
            }

            var milliseconds = Math.Abs(seconds) >= MillisecondsThreshold ? seconds : seconds * 1000;
            if (milliseconds < -62_135_596_800_000 || milliseconds > 253_402_300_799_999)
            {
                return false;
            }

            value = DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds);
            return true;
        }
    }

    /// <summary>
    /// Reads a string field from any JSON value: a number or boolean as its invariant text (an id sent as an
    /// integer where a string is documented keeps the id), and an object or array (an error sent as
    /// <c>{"code":…,"message":…}</c> where a string is documented) as its <c>message</c> with its <c>code</c>,
    /// else as compact JSON, so the vendor's words are kept.
    /// </summary>
    internal sealed class LenientStringConverter : JsonConverter
    {
        public static readonly LenientStringConverter Instance = new();

        public override bool CanWrite => false;

        public override bool CanConvert(Type objectType) => objectType == typeof(string);

        public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
        {
            switch (reader.TokenType)
            {
                case JsonToken.Null or JsonToken.Undefined:
                    return null;
                case JsonToken.String:
                    return (string?)reader.Value;
                case JsonToken.Boolean:
                    return reader.Value is true ? "true" : "false";
                case JsonToken.Integer or JsonToken.Float:
                    return Convert.ToString(reader.Value, CultureInfo.InvariantCulture);
                case JsonToken.Date:
                    return reader.Value is IFormattable date ? date.ToString("O", CultureInfo.InvariantCulture) : reader.Value?.ToString();
                case JsonToken.StartObject or JsonToken.StartArray:
                    return Words(JToken.Load(reader));
                default:
                    throw new JsonSerializationException($"Could not read {reader.TokenType} as a string. Path '{reader.Path}'.");
            }
        }

        public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer) =>
            throw new NotSupportedException("Only reads.");

        private static string Words(JToken token)
        {
            if (token is JObject o && (o["message"] ?? o["detail"] ?? o["description"]) is JValue { Type: JTokenType.String } message)
            {
                var code = o["code"] ?? o["type"] ?? o["error"];
                return code is JValue { Value: not null } c && c.Type != JTokenType.Null
                    ? $"{Convert.ToString(c.Value, CultureInfo.InvariantCulture)}: {message.Value}"
                    : (string)message.Value!;
            }

            return token.ToString(Formatting.None);
        }
    }
}
