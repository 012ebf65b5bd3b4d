using System.Globalization;

namespace Warden.Features.Compliance;

public sealed record CheckResult(string CheckId, CheckOutcome Outcome);

/// <summary>A control's status from its checks: met when all are met, not covered when none is even partly, partly otherwise.</summary>
public sealed record ControlResult(ComplianceControl Control, IReadOnlyList<CheckResult> Checks)
{
    public CoverageStatus Status => Combine(Checks.Select(c => c.Outcome.Status));

    public string Reason => string.Join(" ", Checks.Select(c => c.Outcome.Reason));

    public static CoverageStatus Combine(IEnumerable<CoverageStatus> statuses)
    {
        var all = statuses.ToList();
        return all.Count == 0 || all.TrueForAll(s => s == CoverageStatus.NotCovered) ? CoverageStatus.NotCovered
            : all.TrueForAll(s => s == CoverageStatus.Met) ? CoverageStatus.Met
            : CoverageStatus.Partly;
    }
}

public sealed record RequirementResult(ComplianceRequirement Requirement, IReadOnlyList<ControlResult> Controls)
{
    public CoverageStatus Status => ControlResult.Combine(Controls.Select(c => c.Status));
}

/// <summary>The coverage of one scope and period: every control (or one framework's), and that framework's requirements.</summary>
public sealed record ComplianceCoverage(ComplianceFramework? Framework, IReadOnlyList<ControlResult> Controls, IReadOnlyList<RequirementResult> Requirements)
{
    /// <summary>Audit readiness as a percentage: a met control counts one, a partly met one half.</summary>
    public int Score => Controls.Count == 0 ? 0
        : (int)Math.Round(100.0 * Controls.Sum(c => c.Status switch { CoverageStatus.Met => 1.0, CoverageStatus.Partly => 0.5, _ => 0 }) / Controls.Count, MidpointRounding.AwayFromZero);

    public string Summary
    {
        get
        {
            var met = Controls.Count(c => c.Status == CoverageStatus.Met);
            var partly = Controls.Count(c => c.Status == CoverageStatus.Partly);
            var gaps = Controls.Where(c => c.Status != CoverageStatus.Met).Select(c => $"{c.Control.Id} {Word(c.Status)}").ToList();
            return string.Create(CultureInfo.InvariantCulture,
                $"{met} of {Controls.Count} controls met, {partly} partly{(Framework is null ? string.Empty : $" (those mapped to {Framework.Name})")}. {(gaps.Count == 0 ? "No gaps." : $"Gaps: {string.Join("; ", gaps)}.")}");
        }
    }

    public static string Word(CoverageStatus status) => status switch
    {
        CoverageStatus.Met => "met",
        CoverageStatus.Partly => "partly",
        _ => "not covered",
    };
}

/// <summary>Runs each check a control names once per scope, and combines the results per control and per requirement.</summary>
public sealed class ComplianceEvaluator(ComplianceCatalog catalog, IEnumerable<IComplianceCheck> checks)
{
    private readonly Dictionary<string, IComplianceCheck> _checks = checks.ToDictionary(c => c.Id, StringComparer.Ordinal);

    public ComplianceCatalog Catalog => catalog;

    public async Task<ComplianceCoverage> EvaluateAsync(ComplianceScope scope, string? frameworkId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var framework = catalog.Framework(frameworkId);
        if (frameworkId is not null && framework is null)
            throw new ArgumentException($"Unknown compliance framework '{frameworkId}'.", nameof(frameworkId));
        var controls = framework is null ? catalog.Controls : [.. catalog.Controls.Where(c => framework.ControlIds.Contains(c.Id, StringComparer.Ordinal))];
        var outcomes = new Dictionary<string, CheckOutcome>(StringComparer.Ordinal);
        var results = new List<ControlResult>(controls.Count);
        foreach (var control in controls)
        {
            var done = new List<CheckResult>(control.Checks.Count);
            foreach (var id in control.Checks)
            {
                if (!outcomes.TryGetValue(id, out var outcome))
                    outcomes[id] = outcome = await _checks[id].EvaluateAsync(scope, cancellationToken);
                done.Add(new CheckResult(id, outcome));
            }
            results.Add(new ControlResult(control, done));
        }
        var byId = results.ToDictionary(r => r.Control.Id, StringComparer.Ordinal);
        var requirements = framework is null ? [] : framework.Requirements
            .Select(r => new RequirementResult(r, [.. r.Controls.Select(c => byId[c])])).ToList();
        return new ComplianceCoverage(framework, results, requirements);
    }
}
