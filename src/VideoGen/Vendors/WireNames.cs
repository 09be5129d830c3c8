using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Serialization;
using Newtonsoft.Json;

namespace VideoGen.Vendors;

/// <summary>
/// The JSON names of generated contract types: enum members by their <c>[EnumMember]</c> value
/// (<c>"16:9"</c> ↔ <c>Landscape16x9</c>) and the property names a request type already writes.
/// </summary>
internal static class WireNames
{
    private static readonly ConcurrentDictionary<Type, IReadOnlySet<string>> PropertyNames = new();

    /// <summary>Finds the enum member whose wire value is <paramref name="value"/> (ordinal, case-insensitive).</summary>
    public static bool TryParse<TEnum>(string? value, out TEnum result)
        where TEnum : struct, Enum
    {
        foreach (var (wire, member) in EnumWire<TEnum>.Members)
        {
            if (string.Equals(wire, value, StringComparison.OrdinalIgnoreCase))
            {
                result = member;
                return true;
            }
        }

        result = default;
        return false;
    }

    /// <summary>Every wire value of <typeparamref name="TEnum"/>, in declaration order.</summary>
    public static IEnumerable<string> Values<TEnum>()
        where TEnum : struct, Enum => EnumWire<TEnum>.Members.Select(m => m.Wire);

    /// <summary>The JSON property names <typeparamref name="T"/> writes (its own and inherited <c>[JsonProperty]</c> names).</summary>
    public static IReadOnlySet<string> Properties<T>() => PropertyNames.GetOrAdd(typeof(T), static type =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.GetCustomAttribute<JsonPropertyAttribute>()?.PropertyName)
            .OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase));

    private static class EnumWire<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly IReadOnlyList<(string Wire, TEnum Member)> Members = typeof(TEnum)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (f.GetCustomAttribute<EnumMemberAttribute>()?.Value ?? f.Name, (TEnum)f.GetValue(null)!))
            .ToList();
    }
}
