using Bunit;
using Warden.Features.Evidence;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

public sealed class EvidencePackTableTests(WardenAppFactory app) : ComponentTestBase(app)
{
    [Fact]
    public async Task PackTable_ForAPackWithVolumes_LinksEveryVolumeAndCountsThem()
    {
        await SignInAsync(DemoAccounts.Auditor);
        var withVolumes = Pack("evp_aaaaaaaaaaaaaaaaaaaaaaaa") with { Volumes = [1, 2, 3] };
        var single = Pack("evp_bbbbbbbbbbbbbbbbbbbbbbbb");

        var table = Render<EvidencePackTable>(p => p.Add(t => t.Packs, [withVolumes, single]));

        table.FindAll($"[data-testid^='evidence-volume-{withVolumes.Id}-']").Select(a => a.GetAttribute("href"))
            .ShouldBe([.. Enumerable.Range(1, 3).Select(n => $"/evidence/packs/{withVolumes.Id}/appendix-{n}")]);
        table.Find("[data-testid='evidence-packs']").TextContent.ShouldContain("in 3 appendix volumes");
        table.FindAll($"[data-testid='evidence-volumes-{single.Id}']").ShouldBeEmpty();
    }

    private static EvidencePackRow Pack(string id) => new(
        id, "Weekly pack", null, EvidenceScope.Everything, null, new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero), EvidencePackStatus.Completed, null, 4_000_000, 9_000_000, 12_000, 100, "No gaps.",
        60_000, null, "auditor@warden.example", new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 6, 0, 1, 0, TimeSpan.Zero), "ab");
}
