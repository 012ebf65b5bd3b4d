using Microsoft.EntityFrameworkCore;
using Warden.Features.Policies.Packs;
using Warden.Persistence;

namespace Warden.Features.Policies;

/// <summary>
/// Checks a document as every step of its life does (saving, replaying, publishing): syntax, fields,
/// names against the directory and unreachable rules, then its test cases.
/// </summary>
public sealed class PolicyChecker(IDbContextFactory<WardenDbContext> contexts, PolicyYamlLoader loader)
{
    public async Task<PolicyCheck> CheckAsync(string yaml, CancellationToken ct)
    {
        var document = loader.Compile(yaml);
        if (document.Policy is not { } policy)
            return new PolicyCheck(document.Problems, []);
        var problems = PolicyValidator.Check(document, await CatalogAsync(ct)).Concat(PackAdoption.Check(document)).ToList();
        return new PolicyCheck(problems, PolicyTestRunner.Run(policy, document.Tests));
    }

    private async Task<PolicyCatalog> CatalogAsync(CancellationToken ct)
    {
        await using var db = contexts.CreateDbContext();
        var agents = await db.Agents.AsNoTracking().Select(a => new { a.Tools, a.Segment }).ToListAsync(ct);
        return new PolicyCatalog(
            agents.SelectMany(a => a.Tools.Select(t => t.Name)).ToHashSet(StringComparer.Ordinal),
            agents.Select(a => a.Segment).ToHashSet(StringComparer.Ordinal));
    }
}
