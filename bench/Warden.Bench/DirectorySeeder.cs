using System.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain.Agents;
using Warden.Domain.People;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Bench;

public sealed record SeededDirectory(string OfficerId, IReadOnlyList<string> Owners, int AgentCount, string SampleAgentId, TimeSpan Elapsed);

/// <summary>
/// Fills the directory the way years of use would: owners with about the same number of agents,
/// registrations and attestations spread over two years, and a mix of statuses, segments, tags,
/// risk tiers and autonomy levels. Agents go in through the domain's own factory and methods.
/// </summary>
public sealed class DirectorySeeder(IServiceProvider services, TimeProvider clock)
{
    public const int OwnerCount = 20;
    private const int BatchSize = 1_000;

    public async Task<SeededDirectory> SeedAsync(int agentCount, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var officer = await CreatePersonAsync("officer@bench.example", "Bench Officer", Roles.SecurityOfficer);
        var owners = new List<string>();
        for (var i = 1; i <= OwnerCount; i++)
            owners.Add(await CreatePersonAsync($"owner{i:D2}@bench.example", $"Owner {i:D2}", Roles.AgentOwner));

        var factory = new SeedAgentFactory(owners, clock.GetUtcNow());
        var contexts = services.GetRequiredService<IDbContextFactory<WardenDbContext>>();
        string? sample = null;
        for (var first = 0; first < agentCount; first += BatchSize)
        {
            await using var db = contexts.CreateDbContext();
            for (var i = first; i < Math.Min(agentCount, first + BatchSize); i++)
            {
                var (agent, level) = factory.Create(i);
                db.Agents.Add(agent);
                // Levels are granted by the promotion workflow, which has no domain method yet.
                db.Entry(agent).Property(a => a.AutonomyLevel).CurrentValue = level;
                sample ??= agent.Id.Value;
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        return new SeededDirectory(officer, owners, agentCount, sample!, Stopwatch.GetElapsedTime(started));
    }

    private async Task<string> CreatePersonAsync(string email, string displayName, string role)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = displayName,
            CreatedAt = clock.GetUtcNow(),
        };
        Check(await users.CreateAsync(user), email);
        Check(await users.AddToRoleAsync(user, role), email);
        return user.Id;
    }

    private static void Check(IdentityResult result, string subject)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Cannot create {subject}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
    }
}
