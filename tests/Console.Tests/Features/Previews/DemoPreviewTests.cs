using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain.Tools;
using Warden.Features.Decisions.Previews;
using Warden.Features.Demo;
using Warden.Features.Tools;
using Warden.Persistence;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Previews;

/// <summary>The demo's previewed payment: its tool declares agent previews, and the payments bot's requests carry one officers see.</summary>
[Collection(AppCollection.Name)]
public sealed class DemoPreviewTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task TheDemoSeeder_DeclaresAgentPreviewsForThePaymentTool()
    {
        var hook = await app.Services.GetRequiredService<ToolHooks>().FindAsync(DemoPreviews.Tool, TestContext.Current.CancellationToken);

        hook.ShouldNotBeNull();
        hook.Preview.ShouldBe(PreviewSource.Agent);
    }

    [Fact]
    public async Task TheHooksTheDemoSeeds_AreAuditedOnce_AsAnOfficersDeclarationWouldBe()
    {
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        var saved = await db.AuditEvents.AsNoTracking().Where(e => e.Kind == "tool.hook_saved").Select(e => e.Subject).ToListAsync(TestContext.Current.CancellationToken);

        saved.Count(s => s == "tool:" + DemoPreviews.Tool).ShouldBe(1);
        saved.Count(s => s == "tool:" + DemoReviews.EscalationHook.Tool).ShouldBe(1);
    }

    [Fact]
    public async Task TheDemoPayment_CarriesAPreviewThatIsWellFormed_AndShownOnItsCard()
    {
        var preview = DemoPreviews.For(DemoPreviews.Tool, "4711", 120m)!;
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);

        var answer = await JsonOf(await DecideAsync(client, new
        {
            tool = DemoPreviews.Tool,
            operation = "execute",
            resource = "payments/suppliers/4711",
            parameters = new { invoiceId = "INV-4711" },
            impact = new { records = 1, amount = 120m, currency = "EUR" },
            preview,
        }));

        PreviewShape.FromTool(JsonSerializer.SerializeToElement(preview, Web)).IsSuccess.ShouldBeTrue();
        DemoPreviews.DigestOf(answer).ShouldNotBeNull(answer.ToString());
        var card = await app.AsUserAsync<Warden.Features.Approvals.ApprovalService, Warden.Domain.Result<Warden.Features.Approvals.ApprovalCard>>(
            DemoAccounts.Officer, s => s.GetAsync(answer.GetProperty("approval").GetProperty("id").GetString()!));
        card.Value.Preview!.Summary.ShouldBe("Pay 120.00 EUR to supplier 4711 for invoice INV-4711");
        card.Value.Preview.Records.Count.ShouldBe(2);
    }

    [Fact]
    public void AnotherDemoTool_CarriesNoPreview() =>
        DemoPreviews.For("tickets.reply", "1", null).ShouldBeNull();
}
