using Bunit;
using MudBlazor;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Features.Agents;
using Warden.Features.Credentials;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

public sealed class AgentCredentialsSectionTests(WardenAppFactory app) : ComponentTestBase(app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task AgentCredentialsSection_IssueSecretClickedByOwner_ShowsTheSecretOnceThenOnlyItsActiveStatus()
    {
        var agentId = await RegisterAsync(DemoAccounts.Owner);
        await SignInAsync(DemoAccounts.Owner);
        var dialogs = Render<MudDialogProvider>();
        var section = RenderSection(agentId);
        section.WaitForAssertion(() => StatusOf(section).ShouldBe("None issued"), Patience);

        section.Find("[data-testid='issue-secret']").Click();

        dialogs.WaitForElement("[data-testid='new-secret-value']", Patience);
        var secret = dialogs.Find("[data-testid='new-secret-value']").GetAttribute("value");
        secret.ShouldNotBeNullOrWhiteSpace();
        dialogs.Find("[data-testid='new-secret-note']").TextContent.ShouldContain("It will not be shown again.");

        dialogs.Find("[data-testid='secret-done']").Click();

        dialogs.WaitForAssertion(() => dialogs.FindAll("[data-testid='new-secret-value']").ShouldBeEmpty(), Patience);
        section.WaitForAssertion(() => StatusOf(section).ShouldBe("Active"), Patience);
        section.FindAll("[data-testid='rotate-secret']").ShouldHaveSingleItem();
        section.FindAll("[data-testid='issue-secret']").ShouldBeEmpty();
        section.Markup.ShouldNotContain(secret);
        dialogs.Markup.ShouldNotContain(secret);
    }

    [Fact]
    public async Task AgentCredentialsSection_ViewedByAuditor_ShowsStatusWithoutManagingButtons()
    {
        var agentId = await RegisterAsync(DemoAccounts.Owner);
        (await AsUserAsync<CredentialService, Result<string>>(DemoAccounts.Owner, s => s.IssueSecretAsync(agentId))).IsSuccess.ShouldBeTrue();
        await SignInAsync(DemoAccounts.Auditor);

        var section = RenderSection(agentId);

        section.WaitForAssertion(() => StatusOf(section).ShouldBe("Active"), Patience);
        section.FindAll("[data-testid='issue-secret']").ShouldBeEmpty();
        section.FindAll("[data-testid='rotate-secret']").ShouldBeEmpty();
        section.FindAll("[data-testid='revoke-credentials']").ShouldBeEmpty();
    }

    [Fact]
    public async Task AgentCredentialsSection_AfterAnOfficerRevoked_OffersTheOwnerNoWayToReissue()
    {
        var agentId = await RegisterAsync(DemoAccounts.Owner);
        (await AsUserAsync<CredentialService, Result<string>>(DemoAccounts.Owner, s => s.IssueSecretAsync(agentId))).IsSuccess.ShouldBeTrue();
        (await AsUserAsync<CredentialService, Result>(DemoAccounts.Officer, s => s.RevokeAsync(agentId))).IsSuccess.ShouldBeTrue();
        await SignInAsync(DemoAccounts.Owner);

        var section = RenderSection(agentId);

        section.WaitForAssertion(() => StatusOf(section).ShouldBe("Revoked"), Patience);
        section.Find("[data-testid='credentials-revoked-at']").TextContent.Trim().ShouldNotBeEmpty();
        section.FindAll("[data-testid='issue-secret']").ShouldBeEmpty();
        section.FindAll("[data-testid='rotate-secret']").ShouldBeEmpty();
    }

    private IRenderedComponent<AgentCredentialsSection> RenderSection(string agentId) =>
        Render<AgentCredentialsSection>(p => p.Add(s => s.AgentId, agentId));

    private static string StatusOf(IRenderedComponent<AgentCredentialsSection> section) =>
        section.Find("[data-testid='secret-status']").TextContent.Trim();

    private async Task<string> RegisterAsync(string owner)
    {
        var draft = new AgentDraft
        {
            Name = $"Keys {Guid.NewGuid():N}"[..30],
            Purpose = "Reads accounts for the support desk.",
            Segment = "support",
            Tags = ["support"],
            Tools = [new ToolDraft("crm.accounts.read", [OperationKind.Read], RiskTier.Low, null)],
            Scopes = ["crm/accounts/*"],
        };
        var registered = await AsUserAsync<AgentRegistryService, Result<string>>(owner, s => s.RegisterAsync(draft));
        registered.IsSuccess.ShouldBeTrue();
        return registered.Value;
    }
}
