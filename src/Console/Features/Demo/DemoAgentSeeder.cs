using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Warden.Domain.Agents;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Hosting;
using Warden.Infrastructure.Identity;
using Warden.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Warden.Features.Demo;

/// <summary>
/// Registers the demo agents once, each with an OAuth client whose secret is <c>Demo:AgentSecret</c>,
/// so the demo runner and the README's curl walkthrough can act as them.
/// </summary>
public sealed class DemoAgentSeeder(
    IServiceScopeFactory scopes, IDbContextFactory<WardenDbContext> contexts, AuditWriter audit, IOptions<DemoOptions> options, TimeProvider clock)
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<AgentApplicationManager>();
        await using var db = contexts.CreateDbContext();
        var now = clock.GetUtcNow();
        foreach (var demo in DemoAgents.All)
        {
            if (!await db.Agents.AnyAsync(a => a.Id == demo.Id, cancellationToken))
                await RegisterAsync(db, demo, now, cancellationToken);
            if (await applications.FindByClientIdAsync(demo.Id.Value, cancellationToken) is null)
            {
                var descriptor = new OpenIddictApplicationDescriptor
                {
                    ClientId = demo.Id.Value,
                    ClientSecret = options.Value.AgentSecret,
                    DisplayName = demo.Draft.Name,
                    ClientType = ClientTypes.Confidential,
                    Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
                };
                descriptor.Settings[Settings.TokenLifetimes.AccessToken] =
                    TimeSpan.FromMinutes(AgentTokenLifetime.DefaultMinutes).ToString("c", CultureInfo.InvariantCulture);
                await applications.CreateAsync(descriptor, cancellationToken);
                if (!await db.Set<AgentCredential>().AnyAsync(c => c.AgentId == demo.Id.Value, cancellationToken))
                    db.Set<AgentCredential>().Add(new AgentCredential { AgentId = demo.Id.Value, SecretIssuedAt = now });
            }
        }
        AuditEntry?[] hooks = [await DemoPreviews.SeedHookAsync(db, cancellationToken), await DemoReviews.SeedAsync(db, cancellationToken)];
        await audit.AppendAsync(db, [.. AgentChangeAudit.PendingIn(db), .. hooks.OfType<AuditEntry>()], cancellationToken);
    }

    private static async Task RegisterAsync(WardenDbContext db, DemoAgent demo, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ownerId = await db.Users.Where(u => u.Email == demo.OwnerEmail).Select(u => u.Id).SingleOrDefaultAsync(cancellationToken)
            ?? throw new StartupException($"Demo agent {demo.Id} needs its owner {demo.OwnerEmail}, who does not exist.");
        var profile = AgentDrafts.ToProfile(demo.Draft);
        var owner = await AgentRegistryService.CandidateAsync(db, ownerId, cancellationToken);
        var agent = profile.IsSuccess ? Agent.Register(demo.Id, profile.Value, owner, null, now) : profile.Error;
        if (agent.IsFailure)
            throw new StartupException($"Demo agent {demo.Id} cannot be registered: {agent.Error.Message}");
        if (demo.AutonomyLevel > 0 && agent.Value.ChangeAutonomyLevel(demo.AutonomyLevel, now) is { IsFailure: true } level)
            throw new StartupException($"Demo agent {demo.Id} cannot start at level {demo.AutonomyLevel}: {level.Error.Message}");
        db.Agents.Add(agent.Value);
        db.AgentChanges.Add(AgentRegistryService.ChangeRecord(agent.Value, null, "registered", "demo agent", null, now));
    }
}
