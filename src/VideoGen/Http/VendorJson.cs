using System.Globalization;
using Newtonsoft.Json;

namespace VideoGen.Http;

// CUSTOM: every generated client's UpdateJsonSerializerSettings hook (Vendors/*/*Client.Configuration.cs)
// calls Configure, so a response the contract cannot hold fails as a JsonException — which generated
// code turns into an ApiException — and never as a bare exception from inside JSON.NET.

/// <summary>The JSON settings every generated vendor client reads responses with.</summary>
internal static class VendorJson
{
    /// <summary>Applies VideoGen's reader settings to a generated client's serializer settings.</summary>
    public static void Configure(JsonSerializerSettings settings)
    {
        // Date-looking strings stay strings until a DateTimeOffset property asks for one (so text in
        // free-form fields is not silently reformatted, and a bad date cannot fail a field that is not a date).
        settings.DateParseHandling = DateParseHandling.None;
        settings.Converters.Add(StrictDateTimeOffsetConverter.Instance);
    }

    /// <summary>
    /// Reads <see cref="DateTimeOffset"/> the way JSON.NET does, except that a value it cannot represent
    /// (an offset beyond ±14 hours, a date that falls outside the calendar once the offset is applied) is a
    /// <see cref="JsonSerializationException"/>: JSON.NET itself throws <see cref="ArgumentOutOfRangeException"/>
    /// there, which escapes generated code's error handling.
    /// </summary>
    internal sealed class StrictDateTimeOffsetConverter : JsonConverter
    {
        public static readonly StrictDateTimeOffsetConverter Instance = new();

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
                case JsonToken.String when reader.Value is string text
                    && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed):
                    return parsed;
                default:
                    var shown = reader.Value is string s && s.Length > 64 ? s[..64] + "…" : reader.Value;
                    throw new JsonSerializationException($"Could not read {reader.TokenType} '{shown}' as a date-time. Path '{reader.Path}'.");
            }
        }

        public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer) =>
            throw new NotSupportedException("Only reads: writing uses JSON.NET's own date format.");
    }
}
