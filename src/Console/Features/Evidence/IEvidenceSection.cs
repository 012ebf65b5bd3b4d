using Warden.Features.Evidence.Rendering;

namespace Warden.Features.Evidence;

/// <summary>The period and the agents a pack covers, for a section another feature writes.</summary>
/// <param name="AgentIds">The agents a scoped pack covers, or null when the pack covers the whole organisation.</param>
/// <param name="Agents">The agents in the pack's directory section, whether the pack is scoped or not.</param>
public sealed record EvidenceSectionScope(DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, IReadOnlySet<string>? AgentIds, IReadOnlyCollection<string> Agents);

/// <summary>
/// A section of the pack written by a feature ranked above Evidence (red-team drills, incidents):
/// Evidence cannot call it, so the feature registers it here and the builder writes every registered
/// one, by <see cref="Order"/> (its number in <see cref="EvidenceSections.Titles"/>), after the chain's verification.
/// </summary>
public interface IEvidenceSection
{
    int Order { get; }

    Task WriteAsync(IEvidenceDocument doc, EvidenceSectionScope scope, CancellationToken cancellationToken);
}
