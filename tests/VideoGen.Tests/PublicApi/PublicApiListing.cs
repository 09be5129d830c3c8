using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace VideoGen.Tests.PublicApi;

/// <summary>
/// Lists an assembly's public surface by reflection: every type visible outside the assembly and every
/// member a user can reach (public, or protected on a type that can be derived from), one per line,
/// with nullability, sorted ordinally. A type's line reads <c>Namespace.Type public sealed class : bases</c>;
/// its members read <c>Namespace.Type | member</c>.
/// </summary>
internal static class PublicApiListing
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

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

    public static IReadOnlyList<string> Of(Assembly assembly)
    {
        var nullability = new NullabilityInfoContext();
        var lines = new List<string>();
        foreach (var type in assembly.GetTypes().Where(IsVisible))
        {
            var name = TypeName(type);
            lines.Add($"{name} {Declaration(type)}");
            foreach (var member in type.GetMembers(Declared).Where(m => IsVisible(type, m)))
            {
                lines.Add($"{name} | {Member(type, member, nullability)}");
            }
        }

        return lines.Distinct().Order(StringComparer.Ordinal).ToList();
    }

    private static bool IsVisible(Type type) =>
        type.IsPublic
        || (type.IsNested && IsVisible(type.DeclaringType!) &&
            (type.IsNestedPublic || ((type.IsNestedFamily || type.IsNestedFamORAssem) && !type.DeclaringType!.IsSealed)));

    private static bool IsVisible(Type type, MemberInfo member)
    {
        if (member is Type || member.IsDefined(typeof(CompilerGeneratedAttribute)))
        {
            return false;
        }

        return member switch
        {
            ConstructorInfo ctor => IsReachable(type, ctor),

            // Accessors are listed with their property or event; operators are methods a user calls.
            MethodBase method => !(method.IsSpecialName && !method.Name.StartsWith("op_", StringComparison.Ordinal)) && IsReachable(type, method),
            PropertyInfo property => property.GetAccessors(nonPublic: true).Any(a => IsReachable(type, a)),
            EventInfo @event => @event.AddMethod is { } add && IsReachable(type, add),
            FieldInfo field => !field.IsSpecialName && (field.IsPublic || ((field.IsFamily || field.IsFamilyOrAssembly) && !type.IsSealed)),
            _ => false,
        };
    }

    private static bool IsReachable(Type type, MethodBase method) =>
        method.IsPublic || ((method.IsFamily || method.IsFamilyOrAssembly) && !type.IsSealed);

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
            return $"{access} delegate {TypeName(type.GetMethod("Invoke")!.ReturnType)}({Parameters(type.GetMethod("Invoke")!, new NullabilityInfoContext())})";
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

    private static string Member(Type type, MemberInfo member, NullabilityInfoContext nullability) => member switch
    {
        ConstructorInfo ctor => $"{Access(ctor)}{(ctor.IsStatic ? "static " : string.Empty)}ctor({Parameters(ctor, nullability)})",
        MethodInfo method => Method(type, method, nullability),
        PropertyInfo property => Property(type, property, nullability),
        FieldInfo field => Field(type, field, nullability),
        EventInfo @event => $"{Access(@event.AddMethod!)}{Modifiers(type, @event.AddMethod!)}event {TypeName(@event.EventHandlerType!, nullability.Create(@event))} {@event.Name}",
        _ => member.ToString()!,
    };

    private static string Method(Type type, MethodInfo method, NullabilityInfoContext nullability)
    {
        var extension = method.IsDefined(typeof(ExtensionAttribute)) ? "this " : string.Empty;
        var generic = method.IsGenericMethodDefinition ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">" : string.Empty;
        var returns = TypeName(method.ReturnType, nullability.Create(method.ReturnParameter));
        return $"{Access(method)}{Modifiers(type, method)}{returns} {method.Name}{generic}({extension}{Parameters(method, nullability)})";
    }

    private static string Property(Type type, PropertyInfo property, NullabilityInfoContext nullability)
    {
        var accessors = new List<string>();
        var anchor = property.GetMethod ?? property.SetMethod!;
        if (property.GetMethod is { } get && IsReachable(type, get))
        {
            accessors.Add(AccessorAccess(anchor, get) + "get;");
        }

        if (property.SetMethod is { } set && IsReachable(type, set))
        {
            var init = set.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
            accessors.Add(AccessorAccess(anchor, set) + (init ? "init;" : "set;"));
        }

        var index = property.GetIndexParameters();
        var name = index.Length == 0 ? property.Name : $"this[{string.Join(", ", index.Select(p => Parameter(p, nullability)))}]";
        var required = property.IsDefined(typeof(RequiredMemberAttribute)) ? "required " : string.Empty;
        return $"{Access(anchor)}{Modifiers(type, anchor)}{required}{TypeName(property.PropertyType, nullability.Create(property))} {name} {{ {string.Join(" ", accessors)} }}";
    }

    private static string Field(Type type, FieldInfo field, NullabilityInfoContext nullability)
    {
        if (type.IsEnum)
        {
            return $"{field.Name} = {Convert.ToString(field.GetRawConstantValue(), CultureInfo.InvariantCulture)}";
        }

        var access = field.IsPublic ? "public " : "protected ";
        var kind = field.IsLiteral ? "const " : field.IsStatic ? (field.IsInitOnly ? "static readonly " : "static ") : field.IsInitOnly ? "readonly " : string.Empty;
        var value = field.IsLiteral ? " = " + Literal(field.GetRawConstantValue(), field.FieldType) : string.Empty;
        return $"{access}{kind}{TypeName(field.FieldType, nullability.Create(field))} {field.Name}{value}";
    }

    private static string Access(MethodBase method) => method.IsPublic ? "public " : method.IsFamilyOrAssembly ? "protected internal " : "protected ";

    private static string AccessorAccess(MethodBase property, MethodBase accessor) =>
        Access(property) == Access(accessor) ? string.Empty : Access(accessor);

    private static string Modifiers(Type type, MethodInfo method)
    {
        if (type.IsInterface)
        {
            return method.IsStatic ? "static " : string.Empty;
        }

        if (method.IsStatic)
        {
            return "static ";
        }

        if (method.IsAbstract)
        {
            return "abstract ";
        }

        var isOverride = method.GetBaseDefinition().DeclaringType != method.DeclaringType;
        if (isOverride)
        {
            return method.IsFinal ? "sealed override " : "override ";
        }

        return method.IsVirtual && !method.IsFinal ? "virtual " : string.Empty;
    }

    private static string Parameters(MethodBase method, NullabilityInfoContext nullability) =>
        string.Join(", ", method.GetParameters().Select(p => Parameter(p, nullability)));

    private static string Parameter(ParameterInfo parameter, NullabilityInfoContext nullability)
    {
        var type = parameter.ParameterType;
        var prefix = string.Empty;
        if (type.IsByRef)
        {
            prefix = parameter.IsOut ? "out " : parameter.IsIn ? "in " : "ref ";
            type = type.GetElementType()!;
        }

        if (parameter.IsDefined(typeof(ParamArrayAttribute)))
        {
            prefix = "params ";
        }

        var text = $"{prefix}{TypeName(type, nullability.Create(parameter))} {parameter.Name}";
        return parameter.HasDefaultValue ? $"{text} = {Literal(parameter.RawDefaultValue, type)}" : text;
    }

    private static string Literal(object? value, Type type) => value switch
    {
        null when type.IsValueType && Nullable.GetUnderlyingType(type) is null => "default",
        null => "null",
        string s => '"' + s + '"',
        bool b => b ? "true" : "false",
        _ when (Nullable.GetUnderlyingType(type) ?? type).IsEnum => $"{TypeName(Nullable.GetUnderlyingType(type) ?? type)}.{Enum.ToObject(Nullable.GetUnderlyingType(type) ?? type, value)}",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

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
