using System.Collections.ObjectModel;
using System.Reflection;
using System.Reflection.Emit;

namespace Warden.Tests.Architecture;

/// <summary>A type of one feature using a type of another, as the compiled code shows it.</summary>
public sealed record FeatureDependency(string From, string To, string User, string Used)
{
    public override string ToString() => $"{From} -> {To} via {User} uses {Used}";
}

/// <summary>The features of an assembly (namespaces <c>{root}.&lt;Feature&gt;</c>) and every use of one by another.</summary>
public sealed record FeatureGraph(IReadOnlySet<string> Features, IReadOnlyList<FeatureDependency> Dependencies);

/// <summary>
/// Reads which feature uses which from an assembly's metadata and IL: base types and interfaces,
/// fields, properties, events, method signatures and locals, every type, method and field an
/// instruction names, caught exceptions, attributes with their type arguments, generic arguments and
/// constraints. Compiler-generated nested types (lambdas, async state machines, render fragments)
/// and the razor compiler's <c>__Blazor.*</c> helpers count for the type they were generated from.
/// </summary>
public static class FeatureDependencies
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
    private const string RazorHelpers = "__Blazor.";

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static FeatureGraph Of(Assembly assembly, string root)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var features = new HashSet<string>(StringComparer.Ordinal);
        var dependencies = new HashSet<FeatureDependency>();
        foreach (var type in assembly.GetTypes())
        {
            if (FeatureOf(type, assembly, root) is not { } from)
                continue;
            features.Add(from);
            foreach (var used in UsedBy(type).SelectMany(Parts).Distinct())
            {
                if (FeatureOf(used, assembly, root) is { } to && to != from)
                    dependencies.Add(new FeatureDependency(from, to, NameOf(type), NameOf(used)));
            }
        }
        return new FeatureGraph(features, [.. dependencies.OrderBy(d => d.ToString(), StringComparer.Ordinal)]);
    }

    private static string? FeatureOf(Type type, Assembly assembly, string root)
    {
        if (type.Assembly != assembly)
            return null;
        var ns = Outermost(type).Namespace ?? string.Empty;
        if (ns.StartsWith(RazorHelpers, StringComparison.Ordinal))
            ns = ns[RazorHelpers.Length..];
        if (!ns.StartsWith(root + ".", StringComparison.Ordinal))
            return null;
        return ns[(root.Length + 1)..].Split('.')[0];
    }

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer)
            type = outer;
        return type;
    }

    /// <summary>The type as a reader knows it: generated nested types under the type they came from, razor helpers under their component.</summary>
    private static string NameOf(Type type)
    {
        while (type.Name.Contains('<', StringComparison.Ordinal) && type.DeclaringType is { } outer)
            type = outer;
        var name = type.Name.Split('`')[0];
        if (type.DeclaringType is { } declaring)
            return NameOf(declaring) + "." + name;
        var ns = type.Namespace ?? string.Empty;
        return ns.StartsWith(RazorHelpers, StringComparison.Ordinal) ? ns[(ns.LastIndexOf('.') + 1)..] : name;
    }

    /// <summary>Splits arrays, references and generic instances into the plain types they are made of.</summary>
    private static IEnumerable<Type> Parts(Type type)
    {
        if (type.HasElementType)
            return Parts(type.GetElementType()!);
        if (type.IsGenericParameter)
            return [];
        if (type.IsFunctionPointer)
            return Parts(type.GetFunctionPointerReturnType()).Concat(type.GetFunctionPointerParameterTypes().SelectMany(Parts));
        if (type.IsConstructedGenericType)
            return Parts(type.GetGenericTypeDefinition()).Concat(type.GetGenericArguments().SelectMany(Parts));
        return [type];
    }

    private static IEnumerable<Type> UsedBy(Type type)
    {
        if (type.BaseType is { } baseType)
            yield return baseType;
        var inherited = type.BaseType?.GetInterfaces() ?? [];
        foreach (var contract in type.GetInterfaces().Except(inherited))
            yield return contract;
        foreach (var used in Attributes(type.CustomAttributes))
            yield return used;
        foreach (var used in GenericParameters(type.IsGenericTypeDefinition ? type.GetGenericArguments() : []))
            yield return used;
        foreach (var field in type.GetFields(Declared))
        {
            yield return field.FieldType;
            foreach (var used in Attributes(field.CustomAttributes))
                yield return used;
        }
        foreach (var property in type.GetProperties(Declared))
        {
            yield return property.PropertyType;
            foreach (var used in Attributes(property.CustomAttributes))
                yield return used;
        }
        foreach (var e in type.GetEvents(Declared))
        {
            if (e.EventHandlerType is { } handler)
                yield return handler;
            foreach (var used in Attributes(e.CustomAttributes))
                yield return used;
        }
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            foreach (var used in Signature(method).Concat(Body(method)))
                yield return used;
        }
    }

    private static List<Type> Signature(MethodBase method)
    {
        var used = new List<Type>();
        used.AddRange(Attributes(method.CustomAttributes));
        if (method is MethodInfo info)
        {
            used.Add(info.ReturnType);
            used.AddRange(Attributes(info.ReturnParameter.CustomAttributes));
            if (info.IsGenericMethodDefinition)
                used.AddRange(GenericParameters(info.GetGenericArguments()));
        }
        foreach (var parameter in method.GetParameters())
        {
            used.Add(parameter.ParameterType);
            used.AddRange(Attributes(parameter.CustomAttributes));
        }
        return used;
    }

    private static IEnumerable<Type> GenericParameters(Type[] parameters) =>
        parameters.SelectMany(p => p.GetGenericParameterConstraints().Concat(Attributes(p.CustomAttributes)));

    private static IEnumerable<Type> Attributes(IEnumerable<CustomAttributeData> attributes)
    {
        foreach (var attribute in attributes)
        {
            yield return attribute.AttributeType;
            foreach (var argument in attribute.ConstructorArguments.Concat(attribute.NamedArguments.Select(a => a.TypedValue)))
            {
                foreach (var used in Argument(argument))
                    yield return used;
            }
        }
    }

    private static IEnumerable<Type> Argument(CustomAttributeTypedArgument argument)
    {
        yield return argument.ArgumentType;
        if (argument.Value is Type type)
            yield return type;
        if (argument.Value is ReadOnlyCollection<CustomAttributeTypedArgument> items)
        {
            foreach (var used in items.SelectMany(Argument))
                yield return used;
        }
    }

    /// <summary>The locals, caught exceptions and every token the method's instructions name.</summary>
    private static List<Type> Body(MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body is null)
            return [];
        var used = new List<Type>();
        used.AddRange(body.LocalVariables.Select(l => l.LocalType));
        used.AddRange(body.ExceptionHandlingClauses.Where(c => c.Flags == ExceptionHandlingClauseOptions.Clause).Select(c => c.CatchType!));
        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var value = (short)il[at++];
            if (value == 0xFE)
                value = unchecked((short)(0xFE00 | il[at++]));
            var op = OpCodesByValue[value];
            if (op.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
                used.AddRange(Member(method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments)));
            at += OperandSize(op.OperandType, il, at);
        }
        return used;
    }

    private static IEnumerable<Type> Member(MemberInfo? member) => member switch
    {
        Type type => [type],
        FieldInfo field => [field.DeclaringType!, field.FieldType],
        MethodInfo method => [method.DeclaringType!, method.ReturnType, .. method.GetParameters().Select(p => p.ParameterType),
            .. method.IsGenericMethod ? method.GetGenericArguments() : []],
        MethodBase constructor => [constructor.DeclaringType!, .. constructor.GetParameters().Select(p => p.ParameterType)],
        _ => [],
    };

    private static int OperandSize(OperandType operand, byte[] il, int at) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };
}
