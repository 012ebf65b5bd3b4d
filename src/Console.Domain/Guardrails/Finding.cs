using Warden.Domain.Decisions;

namespace Warden.Domain.Guardrails;

/// <summary>
/// What a scanner noticed: its kind, where (a JSON path such as <c>$.items[2].note</c>), how sure it
/// is (0..1) and an excerpt that shows the shape of the value, never the value itself.
/// </summary>
/// <remarks><see cref="Start"/> and <see cref="Length"/> locate the value inside the string at
/// <see cref="Location"/>, so a masker can replace it without the finding carrying it.</remarks>
public sealed record Finding(string Kind, string Location, double Confidence, string Excerpt)
{
    public string Scanner { get; init; } = string.Empty;
    public string? PatternId { get; init; }
    public int Start { get; init; }
    public int Length { get; init; }
    /// <summary>True when the finding is in a property name rather than in a value.</summary>
    public bool InPropertyName { get; init; }

    public string Family => FindingKinds.Family(Kind);

    public GuardrailFinding ToGuardrailFinding() => new(Kind, Severity, Location, Confidence);

    public FindingSeverity Severity => Family switch
    {
        FindingKinds.SecretFamily => FindingSeverity.Critical,
        FindingKinds.InjectionFamily => FindingSeverity.High,
        FindingKinds.DestructiveFamily => FindingSeverity.High,
        FindingKinds.GuardrailFamily => FindingSeverity.High,
        _ => FindingSeverity.Medium,
    };
}
