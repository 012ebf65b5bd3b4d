using Warden.Features.Evidence.Rendering;

namespace Warden.Features.Evidence;

/// <summary>The period and the agents a pack covers, for a section another feature writes.</summary>
/// <param name="AgentIds">The agents in scope, or null when the pack covers every agent.</param>
public sealed record EvidenceSectionScope(DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, IReadOnlySet<string>? AgentIds);

/// <summary>
/// A section of the pack written by a feature ranked above Evidence (incidents, say): Evidence cannot
/// call it, so the feature registers it here and the builder writes every registered one in order.
/// </summary>
public interface IEvidenceSection
{
    int Order { get; }

    Task WriteAsync(IEvidenceDocument doc, EvidenceSectionScope scope, CancellationToken cancellationToken);
}
