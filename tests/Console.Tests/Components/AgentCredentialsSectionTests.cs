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

    [Fact]
    public async Task AgentCredentialsSection_BeforeAnyCredentialExists_OffersIssuingButNotRevoking()
    {
        var agentId = await RegisterAsync(DemoAccounts.Owner);
        await SignInAsync(DemoAccounts.Owner);

        var section = RenderSection(agentId);

        section.WaitForAssertion(() => StatusOf(section).ShouldBe("None issued"), Patience);
        section.FindAll("[data-testid='issue-secret']").ShouldHaveSingleItem();
        section.FindAll("[data-testid='revoke-credentials']").ShouldBeEmpty();
    }

    [Fact]
    public async Task AgentCredentialsSection_OnceASecretExists_OffersRevoking()
    {
        var agentId = await RegisterAsync(DemoAccounts.Owner);
        (await AsUserAsync<CredentialService, Result<string>>(DemoAccounts.Owner, s => s.IssueSecretAsync(agentId))).IsSuccess.ShouldBeTrue();
        await SignInAsync(DemoAccounts.Owner);

        var section = RenderSection(agentId);

        section.WaitForAssertion(() => StatusOf(section).ShouldBe("Active"), Patience);
        section.FindAll("[data-testid='revoke-credentials']").ShouldHaveSingleItem();
    }

    [Fact]
    public async Task AgentCredentialsSection_NewSecret_ShowsClientIdAndASnippetForEachWayOfConnecting()
    {
        var agentId = await RegisterAsync(DemoAccounts.Owner);
        await SignInAsync(DemoAccounts.Owner);
        var dialogs = Render<MudDialogProvider>();
        var section = Render<AgentCredentialsSection>(p => p
            .Add(s => s.AgentId, agentId)
            .Add(s => s.Tools, [new ToolDeclaration("crm.accounts.read", [OperationKind.Read], RiskTier.Low)])
            .Add(s => s.Scopes, ["crm/accounts/*"]));
        section.WaitForAssertion(() => StatusOf(section).ShouldBe("None issued"), Patience);

        section.Find("[data-testid='issue-secret']").Click();

        dialogs.WaitForElement("[data-testid='new-secret-value']", Patience);
        var secret = dialogs.Find("[data-testid='new-secret-value']").GetAttribute("value")!;
        dialogs.Find("[data-testid='new-secret-client-id']").GetAttribute("value").ShouldBe(agentId);
        dialogs.FindAll("[data-testid='copy-client-id']").ShouldHaveSingleItem();
        dialogs.FindAll("[data-testid='copy-secret']").ShouldHaveSingleItem();
        var http = dialogs.Find("[data-testid='snippet-http']").TextContent;
        http.ShouldContain("/connect/token");
        http.ShouldContain($"client_id={agentId}");
        http.ShouldContain($"client_secret='{secret}'");
        http.ShouldContain("/api/v1/decisions");
        http.ShouldContain("\"tool\":\"crm.accounts.read\",\"operation\":\"read\",\"resource\":\"crm/accounts/example\"");
        dialogs.FindAll("[role='tab']").Select(t => t.TextContent.Trim()).ShouldBe(["Raw HTTP (curl)", ".NET client (Warden.Client)", "MCP gateway"]);

        dialogs.FindAll("[role='tab']").Single(t => t.TextContent.Trim() == ".NET client (Warden.Client)").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid='snippet-dotnet']").TextContent.ShouldContain($"o.ClientSecret = \"{secret}\";"), Patience);
        dialogs.Find("[data-testid='snippet-dotnet']").TextContent.ShouldContain("services.AddWardenClient(");
        dialogs.FindAll("[role='tab']").Single(t => t.TextContent.Trim() == "MCP gateway").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid='snippet-mcp']").TextContent.ShouldContain("/mcp"), Patience);
        dialogs.Find("[data-testid='snippet-mcp']").TextContent.ShouldContain("tools/list");
    }

    [Fact]
    public async Task CredentialsNextStep_ForAFreshAgent_IssuesTheSecretAndThenStepsAside()
    {
        var agentId = await RegisterAsync(DemoAccounts.Owner);
        await SignInAsync(DemoAccounts.Owner);
        var details = (await AsUserAsync<AgentDirectoryService, Result<AgentDetails>>(DemoAccounts.Owner, s => s.GetAgentAsync(agentId))).Value;
        var dialogs = Render<MudDialogProvider>();
        var step = Render<CredentialsNextStep>(p => p.Add(s => s.Agent, details));
        step.WaitForElement("[data-testid='credentials-next-step']", Patience);

        step.Find("[data-testid='get-credentials']").Click();

        dialogs.WaitForElement("[data-testid='new-secret-value']", Patience);
        dialogs.Find("[data-testid='new-secret-client-id']").GetAttribute("value").ShouldBe(agentId);
        dialogs.Find("[data-testid='secret-done']").Click();
        step.Render(p => p.Add(s => s.Agent, details));
        step.WaitForAssertion(() => step.FindAll("[data-testid='credentials-next-step']").ShouldBeEmpty(), Patience);
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
