using System.Text.Json;
using System.Text.RegularExpressions;

namespace Warden.Domain.Agents;

/// <summary>A tool the agent declares it will call, with what it may do and how risky that is.</summary>
public sealed partial record ToolDeclaration(string Name, IReadOnlyList<OperationKind> Operations, RiskTier Risk, string? ParameterSchema = null)
{
    public const int MaxSchemaLength = 32_000;

    public bool Equals(ToolDeclaration? other) =>
        other is not null && Name == other.Name && Risk == other.Risk && ParameterSchema == other.ParameterSchema
        && Operations.SequenceEqual(other.Operations);

    public override int GetHashCode() => HashCode.Combine(Name, Risk);

    public Result Validate()
    {
        if (!NamePattern().IsMatch(Name ?? string.Empty))
            return AgentErrors.InvalidToolName(Name);
        if (Operations is null || Operations.Count == 0)
            return AgentErrors.ToolWithoutOperations(Name!);
        if (!Enum.IsDefined(Risk))
            return AgentErrors.InvalidRisk(Name!);
        if (ParameterSchema is not null && !IsJsonObject(ParameterSchema))
            return AgentErrors.InvalidToolSchema(Name!);
        if (ParameterSchema is not null && SchemaUsesRegex(ParameterSchema))
            return AgentErrors.SchemaRegexNotAllowed(Name!);
        return Result.Success();
    }

    /// <summary>
    /// Schema validators run regular expressions without a timeout, so a schema with <c>pattern</c>,
    /// <c>patternProperties</c> or <c>format: regex</c> could stall the decision path on crafted input.
    /// </summary>
    public static bool SchemaUsesRegex(string schema)
    {
        try
        {
            using var document = JsonDocument.Parse(schema, new JsonDocumentOptions { MaxDepth = 32 });
            return UsesRegex(document.RootElement);
        }
        catch (JsonException)
        {
            return true;
        }
    }

    private static bool UsesRegex(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Any(p =>
            p.Name is "pattern" or "patternProperties"
            || (p.Name == "format" && p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() == "regex")
            || UsesRegex(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Any(UsesRegex),
        _ => false,
    };

    private static bool IsJsonObject(string schema)
    {
        if (schema.Length > MaxSchemaLength)
            return false;
        try
        {
            using var document = JsonDocument.Parse(schema, new JsonDocumentOptions { MaxDepth = 32 });
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_.-]{0,63}$")]
    private static partial Regex NamePattern();
}
