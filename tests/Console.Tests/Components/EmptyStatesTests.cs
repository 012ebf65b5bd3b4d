using Bunit;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Features.Agents;
using Warden.Features.Evidence;
using Warden.Features.Policies;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

public sealed class EmptyStatesTests(WardenAppFactory app) : ComponentTestBase(app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private static readonly PolicyOverview NoPolicies = new(null, null, [], []);

    [Fact]
    public async Task PolicyVersionsTab_WithNoVersion_SaysSo()
    {
        await SignInAsync(DemoAccounts.Officer);

        var tab = Render<PolicyVersionsTab>(p => p.Add(t => t.Workspace, new PolicyWorkspace()).Add(t => t.Overview, NoPolicies));

        tab.Find("[data-testid='policy-versions-empty']").TextContent.ShouldBe("No version has been saved yet.");
    }

    [Fact]
    public async Task PolicyPublicationsTab_WithNoPublication_SaysSo()
    {
        await SignInAsync(DemoAccounts.Officer);

        var tab = Render<PolicyPublicationsTab>(p => p.Add(t => t.Workspace, new PolicyWorkspace()).Add(t => t.Overview, NoPolicies));

        tab.Find("[data-testid='policy-publications-empty']").TextContent.ShouldContain("No version has been published");
    }

    [Fact]
    public async Task EvidenceTargetPicker_ForAnAgent_FindsItByNameAndGivesItsId()
    {
        var name = $"Picker {Guid.NewGuid():N}"[..30];
        var id = await RegisterAsync(name);
        await SignInAsync(DemoAccounts.Auditor);
        var popovers = RenderPopoverProvider();
        string? chosen = null;
        var picker = Render<EvidenceTargetPicker>(p => p
            .Add(c => c.Scope, EvidenceScope.Agent)
            .Add(c => c.TargetIdChanged, (string? value) => chosen = value));

        await picker.Find("input").InputAsync(new Microsoft.AspNetCore.Components.ChangeEventArgs { Value = name });

        popovers.WaitForAssertion(() => popovers.FindAll("[role='option']").ShouldNotBeEmpty(), Patience);
        popovers.FindAll("[role='option']").Single(o => o.TextContent.Contains(name, StringComparison.Ordinal)).Click();
        picker.WaitForAssertion(() => chosen.ShouldBe(id), Patience);
    }

    private async Task<string> RegisterAsync(string name)
    {
        var draft = new AgentDraft
        {
            Name = name,
            Purpose = "Reads accounts for the support desk.",
            Segment = "support",
            Tools = [new ToolDraft("crm.accounts.read", [OperationKind.Read], RiskTier.Low, null)],
            Scopes = ["crm/accounts/*"],
        };
        var registered = await AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner, s => s.RegisterAsync(draft));
        registered.IsSuccess.ShouldBeTrue();
        return registered.Value;
    }
}
