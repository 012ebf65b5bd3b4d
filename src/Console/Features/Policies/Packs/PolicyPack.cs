using Warden.Domain.Policies;

namespace Warden.Features.Policies.Packs;

/// <summary>
/// A versioned set of rules for one industry, shipped with Warden, each rule with its rationale and
/// the pack with its own test cases. A shipped version never changes: a change is a new version.
/// </summary>
public sealed record PolicyPack(string Id, int Version, string Title, string Summary, IReadOnlyList<PolicyRule> Rules, IReadOnlyList<PolicyTestCase> Tests, string Yaml)
{
    /// <summary>The id a pack's rule has in a policy that adopts it: <c>financial-services/payment-cap</c>.</summary>
    public string RuleId(string localId) => $"{Id}/{localId}";

    /// <summary>The pack's rules alone, as their own policy: what its test cases are written against.</summary>
    public Policy AsPolicy() => new($"{Id}-v{Version}", Rules);

    /// <summary>The pack's rules under the ids they take in an adopting policy.</summary>
    public IEnumerable<PolicyRule> AdoptedRules() => Rules.Select(r => r with { Id = RuleId(r.Id) });
}

/// <summary>A pack a policy document adopts, and where the document names it.</summary>
public sealed record AdoptedPack(PolicyPack Pack, long Line, long Column);
