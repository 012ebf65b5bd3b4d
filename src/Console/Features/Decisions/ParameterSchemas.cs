using System.Collections.Concurrent;
using System.Text.Json;
using Json.Schema;

namespace Warden.Features.Decisions;

public sealed record SchemaViolation(string Path, string Message);

/// <summary>
/// Checks a request's parameters against the tool's declared JSON schema. Schemas are compiled once
/// per distinct text; a schema that cannot be compiled refuses every request (fail closed).
/// </summary>
public sealed class ParameterSchemas
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
    private readonly ConcurrentDictionary<string, JsonSchema?> _compiled = new(StringComparer.Ordinal);

    public IReadOnlyList<SchemaViolation> Check(string? schemaText, JsonElement? parameters)
    {
        if (schemaText is null)
            return [];
        var schema = _compiled.GetOrAdd(schemaText, Compile);
        if (schema is null)
            return [new SchemaViolation("$", "The tool's parameter schema cannot be used; ask the agent's owner to fix it.")];

        var instance = parameters is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } given ? given : EmptyObject;
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
            return [];
        var violations = (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => new SchemaViolation(Path(d.InstanceLocation.ToString()), e.Value)))
            .Distinct()
            .Take(50)
            .ToList();
        return violations.Count > 0 ? violations : [new SchemaViolation("$", "The parameters do not match the tool's schema.")];
    }

    private static string Path(string? pointer) =>
        string.IsNullOrEmpty(pointer) ? "$" : "$" + pointer.Replace('/', '.');

    private static JsonSchema? Compile(string text)
    {
        if (Warden.Domain.Agents.ToolDeclaration.SchemaUsesRegex(text))
            return null;
        try
        {
            return JsonSchema.FromText(text);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }
}
