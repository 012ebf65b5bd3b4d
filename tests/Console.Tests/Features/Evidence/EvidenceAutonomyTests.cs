using Warden.Domain;
using Warden.Features.Autonomy;
using Warden.Features.Evidence;
using Warden.Tests.Support;
using UglyToad.PdfPig;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Evidence;

/// <summary>A promotion and the demotion a secret causes, as the period's pack prints them.</summary>
[Collection(AppCollection.Name)]
public sealed class EvidenceAutonomyTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Fact]
    public async Task Pack_ShowsThePeriodsPromotionWithItsCriteria_AndTheDemotionWithItsReason()
    {
        var agent = await RegisterAsync(app);
        var requested = await app.AsUserAsync<AutonomyService, Result<string>>(DemoAccounts.Owner,
            s => s.RequestPromotionAsync(agent.Id, "a supervised pilot; the team reviews every change daily"));
        requested.IsSuccess.ShouldBeTrue(requested.IsFailure ? requested.Error.ToString() : null);
        (await app.AsUserAsync<AutonomyService, Result>(DemoAccounts.Officer, s => s.DecideAsync(requested.Value, true, "pilot approved"))).IsSuccess.ShouldBeTrue();
        using var client = Client(app, agent.Token);
        using var secret = await DecideAsync(client, Body(parameters: new { note = "key AKIAIOSFODNN7EXAMPLE" }));
        (await JsonOf(secret)).GetProperty("outcome").GetString().ShouldBe("deny");

        var pack = await EvidenceScenario.GenerateAsync(app, DemoAccounts.Auditor, EvidenceScenario.Today(app));
        using var pdf = PdfDocument.Open(Path.Combine(await EvidenceScenario.FolderAsync(app, pack.Id), EvidenceFiles.Pdf));
        var text = string.Join('\n', pdf.GetPages().Select(p => p.Text));

        pack.Status.ShouldBe(EvidencePackStatus.Completed, pack.Error);
        text.ShouldContain("promoted 0 → 1");
        text.ShouldContain("demoted 1 → 0");
        text.ShouldContain("pilot approved");
        text.ShouldContain("approved by");
        text.ShouldNotContain("AKIAIOSFODNN7EXAMPLE");
    }
}
