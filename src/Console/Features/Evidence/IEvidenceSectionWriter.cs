using Warden.Features.Evidence.Rendering;

namespace Warden.Features.Evidence;

/// <summary>The period and the agents a pack covers, for a section another feature writes.</summary>
public sealed record EvidenceSectionScope(DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, IReadOnlyCollection<string> AgentIds);

/// <summary>A section of the pack written by another feature (red-team drills, incidents), after the metrics.</summary>
public interface IEvidenceSectionWriter
{
    Task WriteAsync(IEvidenceDocument doc, EvidenceSectionScope scope, CancellationToken cancellationToken);
}
