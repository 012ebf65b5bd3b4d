using Warden.Domain.Agents;
using Warden.Domain.Policies;

namespace Warden.Features.Policies;

/// <summary>The tools and segments agents in the directory declare, which rules may name.</summary>
public sealed record PolicyCatalog(IReadOnlySet<string> Tools, IReadOnlySet<string> Segments);

/// <summary>
/// What a document that reads correctly can still get wrong: a rule with no conditions, a rule no
/// request can reach because a deny always wins over it, and names of tools or segments that no
/// agent declares. Each problem points at the rule or the name.
/// </summary>
public static class PolicyValidator
{
    public const string EmptyMatchCode = "policy.empty_match";
    public const string UnreachableCode = "policy.unreachable_rule";
    public const string UnknownToolCode = "policy.unknown_tool";
    public const string UnknownSegmentCode = "policy.unknown_segment";

    public static IReadOnlyList<PolicyProblem> Check(PolicyDocument document, PolicyCatalog? catalog)
    {
        ArgumentNullException.ThrowIfNull(document);
        var problems = new List<PolicyProblem>();
        for (var i = 0; i < document.Rules.Count; i++)
        {
            var rule = document.Rules[i];
            var source = document.Sources[i];
            if (IsEmpty(rule.Match))
                problems.Add(new PolicyProblem(source.Line, source.Column, EmptyMatchCode,
                    $"rule '{rule.Id}' has no conditions, so it applies to every request; name what it covers in 'match'."));
            // A deny wins over every other effect whatever the order, and over a later deny by order.
            for (var j = 0; j < document.Rules.Count; j++)
            {
                var other = document.Rules[j];
                if (j == i || other.Effect.Kind != PolicyEffectKind.Deny || (rule.Effect.Kind == PolicyEffectKind.Deny && j > i))
                    continue;
                if (Covers(other.Match, rule.Match))
                {
                    problems.Add(new PolicyProblem(source.Line, source.Column, UnreachableCode,
                        $"rule '{rule.Id}' can never decide: rule '{other.Id}' denies every request it matches."));
                    break;
                }
            }
            if (catalog is null)
                continue;
            foreach (var reference in source.References)
            {
                var known = reference.Kind == "tool" ? catalog.Tools : catalog.Segments;
                if (!known.Contains(reference.Name))
                    problems.Add(new PolicyProblem(reference.Line, reference.Column,
                        reference.Kind == "tool" ? UnknownToolCode : UnknownSegmentCode,
                        $"no agent declares the {reference.Kind} '{reference.Name}'{Suggestion(reference.Name, known)}."));
            }
        }
        return problems.OrderBy(p => p.Line).ThenBy(p => p.Column).ToList();
    }

    public static bool IsEmpty(PolicyMatch match)
    {
        ArgumentNullException.ThrowIfNull(match);
        return match.Tools.Count == 0 && match.Operations.Count == 0 && match.Resources.Count == 0 && match.RiskTiers.Count == 0
               && match.MinAmount is null && match.MinRecords is null && match.AutonomyLevels.Count == 0 && match.Segments.Count == 0 && match.Agents.Count == 0
               && match.Findings.Count == 0 && match.Destinations.Count == 0 && match.Window is null && match.When is null && match.Requires.Count == 0;
    }

    /// <summary>Whether every request <paramref name="narrow"/> matches is also matched by <paramref name="wide"/>.</summary>
    public static bool Covers(PolicyMatch wide, PolicyMatch narrow)
    {
        ArgumentNullException.ThrowIfNull(wide);
        ArgumentNullException.ThrowIfNull(narrow);
        return Subset(wide.Tools, narrow.Tools)
               && Subset(wide.Operations, narrow.Operations)
               && Subset(wide.RiskTiers, narrow.RiskTiers)
               && Subset(wide.AutonomyLevels, narrow.AutonomyLevels)
               && Subset(wide.Segments, narrow.Segments)
               && Subset(wide.Agents, narrow.Agents)
               && Subset(wide.Requires, narrow.Requires)
               && Subset(wide.Destinations, narrow.Destinations)
               && (wide.Resources.Count == 0 || (narrow.Resources.Count > 0 && narrow.Resources.All(n => wide.Resources.Any(w => ScopeCovers(w, n)))))
               && (wide.Findings.Count == 0 || (narrow.Findings.Count > 0 && narrow.Findings.All(n => wide.Findings.Any(w => PolicyMatch.KindMatches(w, n)))))
               && (wide.MinConfidence is null || (narrow.MinConfidence is { } c && c >= wide.MinConfidence))
               && (wide.MinAmount is null || (narrow.MinAmount is { } a && a >= wide.MinAmount))
               && (wide.MinRecords is null || (narrow.MinRecords is { } r && r >= wide.MinRecords))
               && (wide.Window is null || Equals(wide.Window, narrow.Window))
               // What an expression admits cannot be compared; a rule with one covers nothing for certain.
               && wide.When is null;
    }

    private static bool Subset<T>(IReadOnlyList<T> wide, IReadOnlyList<T> narrow) =>
        wide.Count == 0 || (narrow.Count > 0 && narrow.All(wide.Contains));

    // "a/**" covers "a/b/*" and "a/**"; "**" covers everything; otherwise only the same pattern.
    private static bool ScopeCovers(ResourceScope wide, ResourceScope narrow)
    {
        if (wide.Pattern == narrow.Pattern || wide.Pattern == "**")
            return true;
        if (!wide.Pattern.EndsWith("/**", StringComparison.Ordinal))
            return false;
        var prefix = wide.Pattern[..^2];
        return narrow.Pattern.StartsWith(prefix, StringComparison.Ordinal) && !prefix.Contains('*', StringComparison.Ordinal);
    }

    private static string Suggestion(string name, IReadOnlySet<string> known)
    {
        var close = known.Where(k => Distance(k, name) <= 2).OrderBy(k => Distance(k, name)).FirstOrDefault();
        return close is null ? string.Empty : $"; did you mean '{close}'?";
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
