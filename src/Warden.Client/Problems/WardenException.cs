namespace Warden.Client;

/// <summary>
/// Warden refused or could not answer a call. Problem details (RFC 9457) from the agent API arrive as
/// the subclass for their <c>type</c>; <see cref="ProblemType"/> keeps the type for the others.
/// </summary>
public class WardenException : Exception
{
    public WardenException()
    {
    }

    public WardenException(string message)
        : base(message)
    {
    }

    public WardenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WardenException(WardenProblem problem)
        : base(problem?.ToString())
    {
        Problem = problem;
    }

    /// <summary>The problem details Warden answered with, when it answered with one.</summary>
    public WardenProblem? Problem { get; }

    /// <summary>The problem's <c>type</c>, e.g. <c>urn:warden:problem:contained</c>.</summary>
    public string? ProblemType => Problem?.Type;

    public int? StatusCode => Problem?.Status;
}

/// <summary>RFC 9457 problem details as the agent API sends them.</summary>
public sealed record WardenProblem(string? Type, string? Title, int? Status, string? Detail)
{
    public const string TypePrefix = "urn:warden:problem:";

    /// <summary>The part of <see cref="Type"/> after <see cref="TypePrefix"/>, e.g. <c>rate-limited</c>.</summary>
    public string? Code => Type is not null && Type.StartsWith(TypePrefix, StringComparison.Ordinal) ? Type[TypePrefix.Length..] : null;

    public override string ToString() =>
        $"{Status} {Title ?? "Warden refused the call"}: {Detail ?? Type ?? "no detail"}";
}
