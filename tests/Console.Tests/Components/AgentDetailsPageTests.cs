using Bunit;
using Warden.Domain;
using Warden.Features.Agents;
using Warden.Tests.Features.Agents;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

public sealed class AgentDetailsPageTests(WardenAppFactory app) : ComponentTestBase(app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AgentDetailsPage_ForItsOwner_ShowsEveryFeaturesSectionInPageOrder()
    {
        var registered = await AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner, s => s.RegisterAsync(AgentDraftBuilder.Valid()));
        await SignInAsync(DemoAccounts.Owner);

        var page = Render<AgentDetailsPage>(p => p.Add(x => x.Id, registered.Value));

        page.WaitForAssertion(() => page.FindAll("[data-testid='secret-status']").ShouldNotBeEmpty(), Patience);
        var order = new[] { "agent-actions", "contain-agent", "agent-tools", "agent-autonomy", "agent-activity", "try-request", "agent-behaviour", "agent-approvals", "agent-credentials", "agent-history" }
            .Select(id => page.Markup.IndexOf($"data-testid=\"{id}\"", StringComparison.Ordinal))
            .ToList();
        order.ShouldAllBe(at => at >= 0);
        order.ShouldBe(order.Order().ToList());
    }

    [Fact]
    public async Task TheTryRequestPanel_ShowsItsOwnerWhatARequestWouldGet_AndAnAuditorDoesNotSeeIt()
    {
        var registered = await AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner, s => s.RegisterAsync(AgentDraftBuilder.Valid()));
        await SignInAsync(DemoAccounts.Owner);
        var page = Render<AgentDetailsPage>(p => p.Add(x => x.Id, registered.Value));
        page.WaitForAssertion(() => page.FindAll("[data-testid='try-request']").ShouldHaveSingleItem(), Patience);

        page.Find("input[data-testid='try-resource']").Change("erp/invoices/7");
        page.Find("[data-testid='try-submit']").Click();
        page.WaitForAssertion(() => page.Find("[data-testid='try-verdict']").TextContent.ShouldBe("Would be allowed"), Patience);
        page.Find("[data-testid='try-reasons']").TextContent.ShouldContain("allowed_by");

        page.Find("input[data-testid='try-resource']").Change("hr/salaries/1");
        page.Find("[data-testid='try-submit']").Click();
        page.WaitForAssertion(() => page.Find("[data-testid='try-verdict']").TextContent.ShouldBe("Would be denied"), Patience);
        page.Find("[data-testid='try-reasons']").TextContent.ShouldContain("resource_out_of_scope");

        await SignInAsync(DemoAccounts.Auditor);
        var auditorView = Render<AgentDetailsPage>(p => p.Add(x => x.Id, registered.Value));
        auditorView.WaitForAssertion(() => auditorView.FindAll("[data-testid='agent-activity']").ShouldNotBeEmpty(), Patience);
        auditorView.FindAll("[data-testid='try-request']").ShouldBeEmpty();
    }

    [Fact]
    public async Task AgentDetailsPage_WithAWideningChangePending_ShowsTheDiffToTheOwnerAndTheDecisionToAnOfficer()
    {
        var registered = await AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner, s => s.RegisterAsync(AgentDraftBuilder.Valid()));
        var wider = AgentDraftBuilder.Valid() with { Scopes = ["erp/**"] };
        (await AsUserAsync<AgentRegistryService, Result<AgentEditOutcome>>(DemoAccounts.Owner, s => s.SubmitEditAsync(registered.Value, wider)))
            .Value.AwaitingReview.ShouldBeTrue();
        await SignInAsync(DemoAccounts.Owner);

        var ownerView = Render<AgentDetailsPage>(p => p.Add(x => x.Id, registered.Value));

        ownerView.WaitForAssertion(() => ownerView.Find("[data-testid='agent-change-diff']").TextContent.ShouldContain("erp/**"), Patience);
        ownerView.FindAll("[data-testid='approve-agent-change']").ShouldBeEmpty();
        await SignInAsync(DemoAccounts.Officer);
        var officerView = Render<AgentDetailsPage>(p => p.Add(x => x.Id, registered.Value));
        officerView.WaitForAssertion(() => officerView.FindAll("[data-testid='approve-agent-change']").ShouldHaveSingleItem(), Patience);
        officerView.FindAll("[data-testid='reject-agent-change']").ShouldHaveSingleItem();
    }

    [Fact]
    public async Task AgentDetailsPage_RightAfterRegistration_OffersNoAttestationButTheCredentialsNextStep()
    {
        var registered = await AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner, s => s.RegisterAsync(AgentDraftBuilder.Valid()));
        await SignInAsync(DemoAccounts.Owner);

        var page = Render<AgentDetailsPage>(p => p.Add(x => x.Id, registered.Value));

        page.WaitForAssertion(() => page.Find("[data-testid='credentials-next-step']"), Patience);
        page.FindAll("[data-testid='edit-agent']").ShouldHaveSingleItem();
        page.FindAll("[data-testid='attest-agent']").ShouldBeEmpty();
    }

    [Fact]
    public async Task AgentDetailsPage_AfterTheOwnerEditedTheAgent_OffersAttestation()
    {
        var registered = await AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner, s => s.RegisterAsync(AgentDraftBuilder.Valid()));
        var edited = AgentDraftBuilder.Valid() with { Purpose = "Reads accounts and contacts for the support desk." };
        (await AsUserAsync<AgentRegistryService, Result>(DemoAccounts.Owner, s => s.EditAsync(registered.Value, edited))).IsSuccess.ShouldBeTrue();
        await SignInAsync(DemoAccounts.Owner);

        var page = Render<AgentDetailsPage>(p => p.Add(x => x.Id, registered.Value));

        page.WaitForAssertion(() => page.Find("[data-testid='attest-agent']"), Patience);
    }
}
