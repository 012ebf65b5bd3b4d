using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Approvals;
using Warden.Domain.Containment;
using Warden.Features.Agents;
using Warden.Features.Approvals;
using Warden.Features.Containment;
using Warden.Features.Credentials;
using Warden.Persistence;

namespace Warden.Client.Tests.Support;

/// <summary>Agents of the tests' own, and what officers do to them, through the console's real services.</summary>
public static class TestAgents
{
    private static int _sequence;

    /// <summary>A new agent that reads CRM accounts, owned by the demo owner; its id.</summary>
    public static async Task<string> RegisterAsync(this WardenHost host, int rateLimitPerMinute = 60)
    {
        var draft = new AgentDraft
        {
            Name = $"Client test agent {Interlocked.Increment(ref _sequence)} {Guid.NewGuid():N}"[..40],
            Purpose = "Exercises the .NET client against the real console.",
            Segment = "sales",
            Tags = ["tests"],
            Tools = [new ToolDraft("crm.read", [OperationKind.Read], RiskTier.Low, null)],
            Scopes = ["crm/accounts/*"],
            RateLimitPerMinute = rateLimitPerMinute,
        };
        var registered = await host.AsAsync<AgentRegistryService, Result<string>>(People.Owner, s => s.RegisterAsync(draft));
        registered.IsSuccess.ShouldBeTrue(registered.Error.ToString());
        return registered.Value;
    }

    public static async Task<string> IssueSecretAsync(this WardenHost host, string agentId)
    {
        var secret = await host.AsAsync<CredentialService, Result<string>>(People.Owner, s => s.IssueSecretAsync(agentId));
        secret.IsSuccess.ShouldBeTrue(secret.Error.ToString());
        return secret.Value;
    }

    public static async Task AddPublicKeyAsync(this WardenHost host, string agentId, string jwk)
    {
        var added = await host.AsAsync<CredentialService, Result>(People.Owner, s => s.AddPublicKeyAsync(agentId, jwk));
        added.IsSuccess.ShouldBeTrue(added.Error.ToString());
    }

    public static async Task ContainAsync(this WardenHost host, string agentId)
    {
        var trip = await host.AsAsync<ContainmentService, Result<TripResult>>(People.Officer, s => s.TripAsync(ContainmentScope.Agent, agentId, "client test"));
        trip.IsSuccess.ShouldBeTrue(trip.Error.ToString());
    }

    /// <summary>An officer approves the approval <paramref name="approvalId"/> with a reason.</summary>
    public static async Task ApproveAsync(this WardenHost host, string approvalId)
    {
        var vote = await host.AsAsync<ApprovalService, Result<VoteResult>>(People.Officer, s => s.VoteAsync(approvalId, Verdict.Approve, "checked by the client tests"));
        vote.IsSuccess.ShouldBeTrue(vote.Error.ToString());
    }

    /// <summary>Waits until the agent has a pending decision on <paramref name="resource"/>; its approval's id.</summary>
    public static async Task<string> PendingApprovalAsync(this WardenHost host, string agentId, string resource, CancellationToken cancellationToken)
    {
        var factory = host.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>();
        while (true)
        {
            await using (var db = await factory.CreateDbContextAsync(cancellationToken))
            {
                var pending = await db.Decisions.AsNoTracking()
                    .Where(d => d.AgentId == agentId && d.Resource == resource && d.State == Warden.Features.Decisions.DecisionState.Pending)
                    .Select(d => d.Id)
                    .FirstOrDefaultAsync(cancellationToken);
                if (pending is not null)
                    return ApprovalRequest.IdFor(pending);
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>The decision's state as the console recorded it (e.g. completed once an outcome is reported).</summary>
    public static async Task<string> DecisionStateAsync(this WardenHost host, string decisionId)
    {
        var factory = host.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var state = await db.Decisions.AsNoTracking().Where(d => d.Id == decisionId).Select(d => d.State).SingleAsync();
        return state.ToString().ToLowerInvariant();
    }
}
