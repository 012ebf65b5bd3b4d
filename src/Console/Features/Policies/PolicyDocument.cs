using Warden.Domain;
using Warden.Domain.Policies;

namespace Warden.Features.Policies;

/// <summary>One problem of a policy document, where it is.</summary>
public sealed record PolicyProblem(long Line, long Column, string Code, string Message)
{
    public Error ToError() => PolicyYamlErrors.At(Code, Line, Column, Message);

    public override string ToString() => $"Line {Line}, column {Column}: {Message}";
}

/// <summary>A tool or segment a rule names, and where, so it can be checked against the directory.</summary>
public sealed record PolicyReference(string Kind, string Name, long Line, long Column);

/// <summary>Where a rule starts and what it names.</summary>
public sealed record RuleSource(string Id, long Line, long Column, IReadOnlyList<PolicyReference> References);

/// <summary>
/// A policy document as read: its rules (the ones that could be read), their sources, its test
/// cases and every problem. <see cref="Policy"/> is set only when there is no problem.
/// </summary>
public sealed record PolicyDocument(
    Policy? Policy,
    string Version,
    IReadOnlyList<PolicyRule> Rules,
    IReadOnlyList<RuleSource> Sources,
    IReadOnlyList<PolicyTestCase> Tests,
    IReadOnlyList<PolicyProblem> Problems)
{
    /// <summary>The packs the document adopts; their rules are compiled into <see cref="Policy"/> after the document's own.</summary>
    public IReadOnlyList<Packs.AdoptedPack> Packs { get; init; } = [];

    public static PolicyDocument Failed(params PolicyProblem[] problems) => new(null, string.Empty, [], [], [], problems);

    public bool IsValid => Policy is not null && Problems.Count == 0;
}
