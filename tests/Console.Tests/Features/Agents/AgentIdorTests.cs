using System.Net;
using Warden.Domain;
using Warden.Features.Agents;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Agents;

/// <summary>An owner who knows another owner's agent id can neither read nor change it.</summary>
[Collection(AppCollection.Name)]
public sealed class AgentIdorTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Fact]
    public async Task OtherOwner_CannotReadTheAgentByIdOrFindItInTheDirectory()
    {
        var id = await RegisterForOwnerAsync();

        var read = await app.AsUserAsync<AgentDirectoryService, Result<AgentDetails>>(DemoAccounts.Owner2, s => s.GetAgentAsync(id));
        var page = await app.AsUserAsync<AgentDirectoryService, Result<AgentPage>>(DemoAccounts.Owner2,
            s => s.GetAgentsAsync(new AgentQuery { Search = id }));

        read.Error.Code.ShouldBe("agent.not_found");
        page.Value.Items.ShouldBeEmpty();
        page.Value.Total.ShouldBe(0);
    }

    [Fact]
    public async Task OtherOwner_CannotEditSuspendRetireAttestOrTransferIt()
    {
        var id = await RegisterForOwnerAsync();
        var owner2Draft = AgentDraftBuilder.Valid("Hijacked name");

        Result[] attempts =
        [
            await AsOwner2Async(s => s.EditAsync(id, owner2Draft)),
            await AsOwner2Async(s => s.SuspendAsync(id, "mine now")),
            await AsOwner2Async(s => s.RetireAsync(id, "mine now")),
            await AsOwner2Async(s => s.AttestAsync(id)),
            await AsOwner2Async(s => s.OfferOwnershipAsync(id, "anyone")),
            await AsOwner2Async(s => s.AcceptOwnershipAsync(id)),
            await AsOwner2Async(s => s.AssignOwnerAsync(id, "anyone", "take")),
        ];

        attempts.ShouldAllBe(r => r.IsFailure && r.Error.Code == "agent.not_found");
        var details = await app.AsUserAsync<AgentDirectoryService, Result<AgentDetails>>(DemoAccounts.Owner, s => s.GetAgentAsync(id));
        details.Value.Summary.Status.ShouldBe(Warden.Domain.Agents.AgentStatus.Active);
        details.Value.Summary.Name.ShouldNotBe("Hijacked name");
        details.Value.Changes.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Owner_CannotExportTheDirectory_ThroughTheServiceOrTheEndpoint()
    {
        await RegisterForOwnerAsync();

        var service = await app.AsUserAsync<AgentExportService, Result>(DemoAccounts.Owner, s => s.ExportAsync(ExportFormat.Csv, Stream.Null));
        using var browser = await app.SignInAsync(DemoAccounts.Owner, DemoAccounts.Password);
        using var response = await browser.GetAsync(new Uri("/agents/export/csv", UriKind.Relative), TestContext.Current.CancellationToken);

        service.Error.Code.ShouldBe("access.forbidden");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldContain("/Account/AccessDenied");
    }

    [Fact]
    public async Task Auditor_ExportsCsvHoldingTheAgentWithOwnerEmail()
    {
        var id = await RegisterForOwnerAsync();

        using var browser = await app.SignInAsync(DemoAccounts.Auditor, DemoAccounts.Password);
        using var response = await browser.GetAsync(new Uri("/agents/export/csv", UriKind.Relative), TestContext.Current.CancellationToken);
        var csv = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        csv.Split('\n')[0].ShouldStartWith("id,name,status");
        csv.Split('\n').ShouldContain(line => line.StartsWith(id, StringComparison.Ordinal) && line.Contains(DemoAccounts.Owner, StringComparison.Ordinal));
    }

    private Task<Result> AsOwner2Async(Func<AgentRegistryService, Task<Result>> call) => app.AsUserAsync(DemoAccounts.Owner2, call);

    private async Task<string> RegisterForOwnerAsync()
    {
        var result = await app.AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner, s => s.RegisterAsync(AgentDraftBuilder.Valid()));
        result.IsSuccess.ShouldBeTrue(result.Error.ToString());
        return result.Value;
    }
}
