using Warden.Domain;
using Warden.Domain.People;
using Warden.Infrastructure.Identity;

namespace Warden.Features.Compliance;

public sealed record FrameworkCoverage(ComplianceFramework Framework, IReadOnlyList<RequirementResult> Requirements)
{
    public int Count(CoverageStatus status) => Requirements.Count(r => r.Status == status);
}

/// <summary>The coverage of every agent over the last days, per control and per framework, as the checks find it now.</summary>
public sealed record ComplianceOverview(DateTimeOffset Start, DateTimeOffset End, ComplianceCoverage Controls, IReadOnlyList<FrameworkCoverage> Frameworks);

/// <summary>The compliance page's figures for officers and auditors; the audit chain is verified by packs, not here.</summary>
public sealed class ComplianceService(AccessGuard access, ComplianceEvaluator evaluator, TimeProvider clock)
{
    public static readonly string[] Readers = [Roles.SecurityOfficer, Roles.Auditor];

    public async Task<Result<ComplianceOverview>> GetOverviewAsync(int days = 30, CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireAsync(Readers);
        if (actor.IsFailure)
            return actor.Error;
        var end = clock.GetUtcNow();
        var start = end.AddDays(-Math.Clamp(days, 1, 366));
        var coverage = await evaluator.EvaluateAsync(new ComplianceScope(start, end, null, ChainVerified: null), null, cancellationToken);
        var byId = coverage.Controls.ToDictionary(c => c.Control.Id, StringComparer.Ordinal);
        var frameworks = evaluator.Catalog.Frameworks
            .Select(f => new FrameworkCoverage(f, [.. f.Requirements.Select(r => new RequirementResult(r, [.. r.Controls.Select(c => byId[c])]))]))
            .ToList();
        return new ComplianceOverview(start, end, coverage, frameworks);
    }
}
