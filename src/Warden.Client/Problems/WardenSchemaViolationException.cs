namespace Warden.Client;

/// <summary>The parameters fail the tool's JSON schema (400 <c>parameters-invalid</c>); every violation is listed.</summary>
public sealed class WardenSchemaViolationException(WardenProblem problem, IReadOnlyList<WardenSchemaError> errors)
    : WardenException(problem)
{
    public IReadOnlyList<WardenSchemaError> Errors { get; } = errors;
}

/// <param name="Path">Where in the parameters, e.g. <c>$.body</c>.</param>
public sealed record WardenSchemaError(string Path, string Message);
