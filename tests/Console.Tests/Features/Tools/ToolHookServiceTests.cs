using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Tools;
using Warden.Features.Tools;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Tools;

[Collection(AppCollection.Name)]
public sealed class ToolHookServiceTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Fact]
    public async Task AnOfficersHook_IsSeenAtOnceByDecisions_AndAuditedWithWhoDeclaredIt()
    {
        var tool = Tool("refunds");
        var hooks = app.Services.GetRequiredService<ToolHooks>();
        (await hooks.FindAsync(tool, TestContext.Current.CancellationToken)).ShouldBeNull();

        (await SaveAsync(DemoAccounts.Officer, new ToolHookForm(tool, PreviewSource.Agent, null, "https://refunds.example.com/undo", null))).IsSuccess.ShouldBeTrue();

        var seen = (await hooks.FindAsync(tool, TestContext.Current.CancellationToken)).ShouldNotBeNull();
        seen.DeclaresPreview.ShouldBeTrue();
        seen.CompensationUrl.ShouldBe(new Uri("https://refunds.example.com/undo"));
        var audited = await EventsAsync(tool);
        audited.ShouldHaveSingleItem().ShouldStartWith("tool.hook_saved");
        audited[0].ShouldContain(DemoAccounts.Officer);
    }

    [Fact]
    public async Task SavingAgain_ReplacesTheHook_AndRemovingIt_IsSeenAtOnce()
    {
        var tool = Tool("tickets");
        var hooks = app.Services.GetRequiredService<ToolHooks>();
        (await SaveAsync(DemoAccounts.Officer, new ToolHookForm(tool, PreviewSource.Agent, null, null, null))).IsSuccess.ShouldBeTrue();
        (await hooks.FindAsync(tool, TestContext.Current.CancellationToken)).ShouldNotBeNull();

        (await SaveAsync(DemoAccounts.Officer, new ToolHookForm(tool, PreviewSource.Webhook, "https://tickets.example.com/preview", null, null))).IsSuccess.ShouldBeTrue();
        (await hooks.FindAsync(tool, TestContext.Current.CancellationToken)).ShouldNotBeNull().Preview.ShouldBe(PreviewSource.Webhook);

        (await app.AsUserAsync<ToolHookService, Result>(DemoAccounts.Officer, s => s.RemoveAsync(tool))).IsSuccess.ShouldBeTrue();
        (await hooks.FindAsync(tool, TestContext.Current.CancellationToken)).ShouldBeNull();
        (await EventsAsync(tool)).Select(e => e.Split(' ')[0]).ShouldBe(["tool.hook_saved", "tool.hook_saved", "tool.hook_removed"]);
    }

    [Fact]
    public async Task AnOwner_CannotDeclareAHook_ButCanReadThem()
    {
        var tool = Tool("orders");

        var refused = await SaveAsync(DemoAccounts.Owner, new ToolHookForm(tool, PreviewSource.Agent, null, null, null));
        var listed = await app.AsUserAsync<ToolHookService, Result<IReadOnlyList<ToolHook>>>(DemoAccounts.Owner, s => s.ListAsync());

        refused.IsFailure.ShouldBeTrue();
        listed.IsSuccess.ShouldBeTrue();
        listed.Value.ShouldNotContain(h => h.Tool == tool);
    }

    [Theory]
    [InlineData("not a url", null, "tool_hook.invalid_url")]
    [InlineData("javascript:alert(1)", null, "tool_hook.invalid_url")]
    [InlineData(null, "no_such_gateway_tool", "tool_hook.gateway_tool_unknown")]
    [InlineData(null, null, "tool_hook.declares_nothing")]
    public async Task AHookThatCannotWork_IsRefusedWithItsReason_AndNothingIsStored(string? compensationUrl, string? gatewayTool, string code)
    {
        var tool = Tool("bad");

        var refused = await SaveAsync(DemoAccounts.Officer, new ToolHookForm(tool, PreviewSource.None, null, compensationUrl, gatewayTool));

        refused.Error.Code.ShouldBe(code);
        refused.Error.Message.ShouldNotBeNullOrWhiteSpace();
        (await app.Services.GetRequiredService<ToolHooks>().FindAsync(tool, TestContext.Current.CancellationToken)).ShouldBeNull();
        (await EventsAsync(tool)).ShouldBeEmpty();
    }

    private static string Tool(string hint) => $"{hint}.{Guid.NewGuid():N}"[..(hint.Length + 13)];

    private Task<Result> SaveAsync(string email, ToolHookForm form) =>
        app.AsUserAsync<ToolHookService, Result>(email, s => s.SaveAsync(form));

    private Task<List<string>> EventsAsync(string tool) => app.InScopeAsync(async sp =>
    {
        await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
        return await db.AuditEvents.Where(e => e.Subject == "tool:" + tool).OrderBy(e => e.Sequence).Select(e => e.Kind + " " + e.ActorName + " " + e.Data).ToListAsync();
    });
}
