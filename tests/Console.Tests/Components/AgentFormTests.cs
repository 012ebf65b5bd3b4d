using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Features.Agents;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

public sealed class AgentFormTests(WardenAppFactory app) : ComponentTestBase(app)
{
    [Fact]
    public async Task AgentForm_SubmittedEmpty_ShowsEachFieldsMessageAndRegistersNothing()
    {
        var before = await CountOwnersAgentsAsync();
        var form = await RenderRegisterFormAsync();

        form.Find("[data-testid='agent-form-submit']").Click();

        form.WaitForAssertion(() => form.Find("[data-testid='agent-form-invalid']"));
        MessagesBeside(form, "agent-name").ShouldContain(AgentFormRules.Name(null)!);
        MessagesBeside(form, "agent-purpose").ShouldContain(AgentFormRules.Purpose(null)!);
        MessagesBeside(form, "agent-segment").ShouldContain(AgentFormRules.Segment(null)!);
        MessagesBeside(form, "tool-name-0").ShouldContain("Name the tool.");
        form.Find("[data-testid='tool-operations-error-0']").TextContent.ShouldBe("Choose at least one operation.");
        (await CountOwnersAgentsAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task AgentForm_NameOfTenThousandCharacters_ShowsTheLengthMessage()
    {
        var form = await RenderRegisterFormAsync();

        await form.Find("[data-testid='agent-name']").InputAsync(new ChangeEventArgs { Value = new string('a', 10_000) });

        form.WaitForAssertion(() => MessagesBeside(form, "agent-name").ShouldContain($"At most {AgentProfile.MaxNameLength} characters."));
    }

    [Fact]
    public async Task AgentForm_InvalidScopePattern_ShowsTheScopeMessageBesideScopesAndRegistersNothing()
    {
        var name = UniqueName();
        var (form, _) = await RenderFilledRegisterFormAsync(name);
        await form.Find("[data-testid='agent-scopes']").InputAsync(new ChangeEventArgs { Value = "crm/accounts/*\ncrm/**/x" });

        form.Find("[data-testid='agent-form-submit']").Click();

        var expected = ResourceScope.Create("crm/**/x").Error.Message;
        form.WaitForAssertion(() => MessagesBeside(form, "agent-scopes").ShouldContain(expected));
        form.Find("[data-testid='agent-scopes']").GetAttribute("aria-invalid").ShouldBe("true");
        form.Find("[data-testid='agent-name']").GetAttribute("aria-invalid").ShouldBe("false");
        (await FindByNameAsync(name)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AgentForm_NegativeCap_ShowsItsMessageAndRegistersNothing()
    {
        var name = UniqueName();
        var (form, _) = await RenderFilledRegisterFormAsync(name);
        await form.Find("[data-testid='agent-daily-records']").ChangeAsync(new ChangeEventArgs { Value = "-5" });

        form.Find("[data-testid='agent-form-submit']").Click();

        form.WaitForAssertion(() => MessagesBeside(form, "agent-daily-records").ShouldContain("Cannot be negative."));
        (await FindByNameAsync(name)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AgentForm_FilledInValidly_RegistersTheAgentAndOpensIt()
    {
        var name = UniqueName();
        var (form, _) = await RenderFilledRegisterFormAsync(name);

        form.Find("[data-testid='agent-form-submit']").Click();

        form.WaitForAssertion(() => Services.GetRequiredService<NavigationManager>().Uri.ShouldContain($"/agents/{AgentId.Prefix}"), TimeSpan.FromSeconds(5));
        var registered = (await FindByNameAsync(name)).ShouldHaveSingleItem();
        Services.GetRequiredService<NavigationManager>().Uri.ShouldEndWith($"/agents/{registered.Id}");
    }

    [Fact]
    public async Task AgentForm_ScopesTypedWithoutLeavingTheFieldThenADropdownOpened_RegistersTheScopes()
    {
        var name = UniqueName();
        var (form, popovers) = await RenderFilledRegisterFormAsync(name, scopes: null);
        await form.Find("[data-testid='agent-scopes']").InputAsync(new ChangeEventArgs { Value = "crm/accounts/*\ncrm/contacts/**" });
        form.Find("[data-testid='tool-risk-0']").MouseDown();
        popovers.WaitForElement("[role='option']");

        form.Find("[data-testid='agent-form-submit']").Click();

        form.WaitForAssertion(() => Services.GetRequiredService<NavigationManager>().Uri.ShouldContain($"/agents/{AgentId.Prefix}"), TimeSpan.FromSeconds(5));
        var registered = (await FindByNameAsync(name)).ShouldHaveSingleItem();
        var details = await AsUserAsync<AgentDirectoryService, Result<AgentDetails>>(DemoAccounts.Owner, s => s.GetAgentAsync(registered.Id));
        details.Value.Scopes.ShouldBe(["crm/accounts/*", "crm/contacts/**"]);
    }

    [Fact]
    public async Task AgentForm_NoResourceScope_AsksFirstAndRegistersNothingWhenCancelled()
    {
        var name = UniqueName();
        var dialogs = Render<MudDialogProvider>();
        var (form, _) = await RenderFilledRegisterFormAsync(name, scopes: null);

        form.Find("[data-testid='agent-form-submit']").Click();

        dialogs.WaitForElement("[data-testid='confirm-no-scopes']", TimeSpan.FromSeconds(5));
        dialogs.Markup.ShouldContain("no resource scope");
        dialogs.Find("[data-testid='confirm-cancel']").Click();
        dialogs.WaitForAssertion(() => dialogs.FindAll("[data-testid='confirm-no-scopes']").ShouldBeEmpty());
        (await FindByNameAsync(name)).ShouldBeEmpty();
        Services.GetRequiredService<NavigationManager>().Uri.ShouldNotContain($"/agents/{AgentId.Prefix}");
    }

    [Fact]
    public async Task AgentForm_NoResourceScopeConfirmed_RegistersTheAgentWithoutScopes()
    {
        var name = UniqueName();
        var dialogs = Render<MudDialogProvider>();
        var (form, _) = await RenderFilledRegisterFormAsync(name, scopes: null);

        form.Find("[data-testid='agent-form-submit']").Click();
        dialogs.WaitForElement("[data-testid='confirm-no-scopes']", TimeSpan.FromSeconds(5)).Click();

        form.WaitForAssertion(() => Services.GetRequiredService<NavigationManager>().Uri.ShouldContain($"/agents/{AgentId.Prefix}"), TimeSpan.FromSeconds(5));
        var registered = (await FindByNameAsync(name)).ShouldHaveSingleItem();
        var details = await AsUserAsync<AgentDirectoryService, Result<AgentDetails>>(DemoAccounts.Owner, s => s.GetAgentAsync(registered.Id));
        details.Value.Scopes.ShouldBeEmpty();
    }

    private static string UniqueName() => $"Form {Guid.NewGuid():N}"[..30];

    private async Task<IRenderedComponent<RegisterAgentPage>> RenderRegisterFormAsync()
    {
        await SignInAsync(DemoAccounts.Owner);
        var form = Render<RegisterAgentPage>();
        form.WaitForElement("[data-testid='agent-form-submit']");
        return form;
    }

    /// <summary>The register form with every required field valid: one tool that reads, one scope.</summary>
    private async Task<(IRenderedComponent<RegisterAgentPage> Form, IRenderedComponent<MudPopoverProvider> Popovers)> RenderFilledRegisterFormAsync(
        string name, string? scopes = "crm/accounts/*")
    {
        await SignInAsync(DemoAccounts.Owner);
        var popovers = RenderPopoverProvider();
        var form = Render<RegisterAgentPage>();
        form.WaitForElement("[data-testid='agent-form-submit']");
        await form.Find("[data-testid='agent-name']").InputAsync(new ChangeEventArgs { Value = name });
        await form.Find("[data-testid='agent-purpose']").InputAsync(new ChangeEventArgs { Value = "Reads accounts for the support desk." });
        await form.Find("[data-testid='agent-segment']").InputAsync(new ChangeEventArgs { Value = "support" });
        await form.Find("[data-testid='tool-name-0']").InputAsync(new ChangeEventArgs { Value = "crm.accounts.read" });
        if (scopes is not null)
            await form.Find("[data-testid='agent-scopes']").InputAsync(new ChangeEventArgs { Value = scopes });
        form.Find("[data-testid='tool-operations-0']").MouseDown();
        popovers.WaitForElement("[role='option']");
        popovers.FindAll("[role='option']").First(o => o.TextContent.Trim() == nameof(OperationKind.Read)).Click();
        return (form, popovers);
    }

    /// <summary>The text shown in the field's own container: walks up from the input while no other field shares it.</summary>
    private static string MessagesBeside<T>(IRenderedComponent<T> form, string testId)
        where T : IComponent
    {
        var field = form.Find($"[data-testid='{testId}']");
        IElement container = field;
        while (container.ParentElement is { } parent && parent.QuerySelectorAll("input, textarea").Count(IsVisibleInput) == 1)
            container = parent;
        return container.TextContent;
    }

    private static bool IsVisibleInput(IElement input) => input.GetAttribute("type") != "hidden";

    private async Task<int> CountOwnersAgentsAsync() =>
        (await AsUserAsync<AgentDirectoryService, Result<AgentPage>>(DemoAccounts.Owner, s => s.GetAgentsAsync(new AgentQuery()))).Value.Total;

    private async Task<IReadOnlyList<AgentRow>> FindByNameAsync(string name) =>
        (await AsUserAsync<AgentDirectoryService, Result<AgentPage>>(DemoAccounts.Owner, s => s.GetAgentsAsync(new AgentQuery { Search = name }))).Value.Items;
}
