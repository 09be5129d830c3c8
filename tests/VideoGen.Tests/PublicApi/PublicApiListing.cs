using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace VideoGen.Tests.PublicApi;

/// <summary>
/// Lists the declaration of every public type of an assembly by reflection: kind, modifiers, base type and
/// interfaces, one line per type (<c>Namespace.Type public sealed class : bases</c>), sorted ordinally.
/// </summary>
/// <remarks>
/// CUSTOM: the members are recorded by Microsoft.CodeAnalysis.PublicApiAnalyzers (PublicAPI.*.txt beside each
/// library project; RS0016/RS0017 fail the build). Its files name a type but not what it derives from, implements,
/// or whether it is sealed, static or abstract
/// (https://github.com/dotnet/roslyn-analyzers/blob/main/src/PublicApiAnalyzers/PublicApiAnalyzers.Help.md), and a
/// change there breaks users as well; this listing keeps those lines.
/// </remarks>
internal static class PublicApiListing
{
    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(void)] = "void",
        [typeof(object)] = "object",
        [typeof(string)] = "string",
        [typeof(bool)] = "bool",
        [typeof(byte)] = "byte",
        [typeof(char)] = "char",
        [typeof(short)] = "short",
        [typeof(int)] = "int",
        [typeof(long)] = "long",
        [typeof(float)] = "float",
        [typeof(double)] = "double",
        [typeof(decimal)] = "decimal",
    };

    public static IReadOnlyList<string> Of(Assembly assembly) =>
        assembly.GetTypes().Where(IsVisible).Select(type => $"{TypeName(type)} {Declaration(type)}").Distinct().Order(StringComparer.Ordinal).ToList();

    private static bool IsVisible(Type type) =>
        type.IsPublic
        || (type.IsNested && IsVisible(type.DeclaringType!) &&
            (type.IsNestedPublic || ((type.IsNestedFamily || type.IsNestedFamORAssem) && !type.DeclaringType!.IsSealed)));

    private static string Declaration(Type type)
    {
        var access = type.IsPublic || type.IsNestedPublic ? "public" : "protected";
        string kind;
        if (type.IsEnum)
        {
            kind = $"enum : {TypeName(Enum.GetUnderlyingType(type))}";
            return $"{access} {kind}{(type.IsDefined(typeof(FlagsAttribute)) ? " [Flags]" : string.Empty)}";
        }

        if (type.IsInterface)
        {
            kind = "interface";
        }
        else if (type.IsValueType)
        {
            kind = type.IsDefined(typeof(IsReadOnlyAttribute)) ? "readonly struct" : "struct";
        }
        else if (typeof(Delegate).IsAssignableFrom(type.BaseType))
        {
            // The signature is the Invoke member in PublicAPI.*.txt.
            return $"{access} delegate";
        }
        else
        {
            var isRecord = type.GetMethod("<Clone>$") is not null;
            var modifier = type.IsAbstract && type.IsSealed ? "static " : type.IsAbstract ? "abstract " : type.IsSealed ? "sealed " : string.Empty;
            kind = modifier + (isRecord ? "record class" : "class");
        }

        var bases = new List<string>();
        if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType))
        {
            bases.Add(TypeName(baseType));
        }

        bases.AddRange(type.GetInterfaces().Select(TypeName).Order(StringComparer.Ordinal));
        return $"{access} {kind}{(bases.Count == 0 ? string.Empty : " : " + string.Join(", ", bases))}";
    }

    private static string TypeName(Type type) => TypeName(type, null);

    private static string TypeName(Type type, NullabilityInfo? nullability)
    {
        if (type.IsByRef)
        {
            return TypeName(type.GetElementType()!, nullability);
        }

        if (type.IsGenericParameter)
        {
            // Reflection cannot tell an unconstrained T from T?; generic parameters are listed bare.
            return type.Name;
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return TypeName(underlying, nullability?.GenericTypeArguments.FirstOrDefault()) + "?";
        }

        if (type.IsArray)
        {
            return TypeName(type.GetElementType()!, nullability?.ElementType) + "[" + new string(',', type.GetArrayRank() - 1) + "]" + Question(type, nullability);
        }

        if (Keywords.TryGetValue(type, out var keyword))
        {
            return keyword + Question(type, nullability);
        }

        var name = type.IsNested ? TypeName(type.DeclaringType!) + "." + type.Name : type.Namespace + "." + type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
        {
            name = name[..tick];
        }

        if (type.IsGenericType)
        {
            var arguments = type.GetGenericArguments();
            var own = arguments.Skip(type.DeclaringType?.GetGenericArguments().Length ?? 0).ToArray();
            if (own.Length > 0)
            {
                var argumentNullability = nullability?.GenericTypeArguments;
                name += "<" + string.Join(", ", own.Select((a, i) =>
                    TypeName(a, argumentNullability is { Length: > 0 } n && n.Length == arguments.Length ? n[arguments.Length - own.Length + i] : null))) + ">";
            }
        }

        return name + Question(type, nullability);
    }

    private static string Question(Type type, NullabilityInfo? nullability) =>
        !type.IsValueType && nullability?.ReadState == NullabilityState.Nullable ? "?" : string.Empty;
}
