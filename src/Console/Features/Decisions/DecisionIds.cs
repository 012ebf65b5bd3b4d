using Warden.Domain.Agents;

namespace Warden.Features.Decisions;

/// <summary>Decision ids reuse the agent id's sortable format with their own prefix.</summary>
internal static class DecisionIds
{
    public const string Prefix = "dec_";

    public static string New(DateTimeOffset now) => Prefix + AgentId.New(now).Value[AgentId.Prefix.Length..];

    public static bool IsWellFormed(string? id) =>
        id is { Length: 30 } && id.StartsWith(Prefix, StringComparison.Ordinal)
        && AgentId.TryParse(AgentId.Prefix + id[Prefix.Length..], out _);
}
