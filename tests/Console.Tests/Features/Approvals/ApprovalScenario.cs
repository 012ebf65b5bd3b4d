using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.People;
using Warden.Features.Administration;
using Warden.Persistence;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Approvals;

/// <summary>A request held for approval, made the real way: an agent with a real token asks through the API.</summary>
internal sealed record HeldRequest(TestAgent Agent, string DecisionId, string RequestId);

internal static class ApprovalScenario
{
    /// <summary>A new person created by the demo administrator; returns their e-mail.</summary>
    public static async Task<string> NewPersonAsync(WardenAppFactory app, string hint, params string[] roles)
    {
        var email = TestPeople.NewEmail(hint);
        var created = await app.AsUserAsync<UserAdministrationService, Result<string>>(
            DemoAccounts.Admin, s => s.CreateUserAsync(new NewUser(email, email.Split('@')[0], TestPeople.Password, roles)));
        created.IsSuccess.ShouldBeTrue(created.Error.ToString());
        // Enrolled at once, as officers must be before they act, so that racing calls start from an enrolled person.
        await SecondFactors.EnsureEnrolledAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), email);
        return email;
    }

    public static Task<string> NewOfficerAsync(WardenAppFactory app, string hint = "officer") =>
        NewPersonAsync(app, hint, Roles.SecurityOfficer);

    public static Task<string> UserIdAsync(WardenAppFactory app, string email) =>
        app.InScopeAsync(async sp =>
        {
            var users = sp.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Warden.Infrastructure.Identity.ApplicationUser>>();
            return (await users.FindByEmailAsync(email))!.Id;
        });

    /// <summary>An agent registered by <paramref name="email"/> (its owner unless the draft names another), with a real token.</summary>
    public static async Task<TestAgent> RegisterAsAsync(WardenAppFactory app, string email, Warden.Features.Agents.AgentDraft draft)
    {
        var registered = await app.AsUserAsync<Warden.Features.Agents.AgentRegistryService, Result<string>>(email, s => s.RegisterAsync(draft));
        registered.IsSuccess.ShouldBeTrue(registered.Error.ToString());
        var secret = await app.AsUserAsync<Warden.Features.Credentials.CredentialService, Result<string>>(DemoAccounts.Officer, s => s.IssueSecretAsync(registered.Value));
        secret.IsSuccess.ShouldBeTrue(secret.Error.ToString());
        return new TestAgent(registered.Value, secret.Value, await TokenAsync(app, registered.Value, secret.Value));
    }

    /// <summary>A held request: critical (two approvers) for a payment, otherwise a level-0 write (one approver).</summary>
    public static async Task<HeldRequest> HoldAsync(WardenAppFactory app, bool critical = false, TestAgent? agent = null)
    {
        agent ??= await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        var body = critical
            ? Body("payments.send", "execute", "payments/out/7", new { invoiceId = "INV-7", note = "pay jane.doe@example.com" }, amount: 120m)
            : Body("crm.update", "write", parameters: new { accountId = "42" });
        using var response = await DecideAsync(client, body);
        var answer = await JsonOf(response);
        answer.GetProperty("outcome").GetString().ShouldBe("pending", answer.ToString());
        return new HeldRequest(agent, answer.GetProperty("id").GetString()!, answer.GetProperty("approval").GetProperty("id").GetString()!);
    }

    /// <summary>The audit events of <paramref name="kind"/> that mention <paramref name="requestId"/>.</summary>
    public static Task<int> EventsAsync(WardenAppFactory app, string kind, string requestId) =>
        app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
            return await db.AuditEvents.CountAsync(e => e.Kind == kind && e.Data.Contains(requestId));
        });

    /// <summary>Moves a held request's deadline (and its decision's) into the past, as if the time had run out.</summary>
    public static Task LapseAsync(WardenAppFactory app, HeldRequest held) =>
        app.InScopeAsync(async sp =>
        {
            var past = sp.GetRequiredService<TimeProvider>().GetUtcNow().AddSeconds(-1);
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
            var request = await db.ApprovalRequests.SingleAsync(r => r.Id == held.RequestId);
            db.Entry(request).Property(r => r.ExpiresAt).CurrentValue = past;
            var decision = await db.Decisions.SingleAsync(d => d.Id == held.DecisionId);
            decision.ExpiresAt = past;
            await db.SaveChangesAsync();
            return 0;
        });
}
