using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Domain.People;
using Warden.Features.Administration;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Tests.Features.Agents;
using Warden.Tests.Support;

namespace Warden.Tests.Features.AuditLog;

/// <summary>Directory and people changes land on the chain with their actor, subject and before/after.</summary>
[Collection(AppCollection.Name)]
public sealed class ChangeAuditTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Fact]
    public async Task AgentCommands_EachAppendAnAgentEventNamingThePersonAndTheAgent()
    {
        var id = (await app.AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner, s => s.RegisterAsync(AgentDraftBuilder.Valid()))).Value;

        var suspended = await app.AsUserAsync<AgentRegistryService, Result>(DemoAccounts.Owner, s => s.SuspendAsync(id, "paused for review"));

        suspended.IsSuccess.ShouldBeTrue(suspended.Error.ToString());
        var events = await EventsAsync(id);
        events.Select(e => e.Kind).ShouldBe(["agent.suspended", "agent.registered"]);
        events.ShouldAllBe(e => e.ActorKind == AuditActorKind.Person && e.ActorName == DemoAccounts.Owner);
        events[0].Data.ShouldContain("paused for review");
        events[0].Data.ShouldContain("\"before\":{");
        events[0].Data.ShouldContain("\"status\":\"suspended\"");
    }

    [Fact]
    public async Task RefusedAgentCommand_AppendsNothing()
    {
        var id = (await app.AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner, s => s.RegisterAsync(AgentDraftBuilder.Valid()))).Value;

        var resumed = await app.AsUserAsync<AgentRegistryService, Result>(DemoAccounts.Owner, s => s.ResumeAsync(id, "not mine to resume"));

        resumed.IsFailure.ShouldBeTrue();
        (await EventsAsync(id)).Select(e => e.Kind).ShouldBe(["agent.registered"]);
    }

    [Fact]
    public async Task PeopleChanges_AppendPersonEventsNamingTheAdministrator()
    {
        var email = TestPeople.NewEmail("audited");
        var created = await app.AsUserAsync<UserAdministrationService, Result<string>>(DemoAccounts.Admin,
            s => s.CreateUserAsync(new NewUser(email, null, TestPeople.Password, [Roles.Auditor])));

        await app.AsUserAsync<UserAdministrationService, Result>(DemoAccounts.Admin, s => s.AddRoleAsync(created.Value, Roles.AgentOwner));
        await app.AsUserAsync<UserAdministrationService, Result>(DemoAccounts.Admin, s => s.AddRoleAsync(created.Value, Roles.AgentOwner));
        await app.AsUserAsync<UserAdministrationService, Result>(DemoAccounts.Admin, s => s.DisableAsync(created.Value));

        var events = await EventsAsync(created.Value);
        events.Select(e => e.Kind).ShouldBe(["person.disabled", "person.role_added", "person.created"]);
        events.ShouldAllBe(e => e.ActorName == DemoAccounts.Admin);
        events.ShouldAllBe(e => !e.Data.Contains(email, StringComparison.OrdinalIgnoreCase));
    }

    private async Task<IReadOnlyList<AuditEventRow>> EventsAsync(string subject)
    {
        var page = await app.AsUserAsync<AuditLogService, Result<AuditPage>>(DemoAccounts.Auditor, s => s.GetPageAsync(new AuditQuery(Subject: subject)));
        return page.Value.Events;
    }
}
