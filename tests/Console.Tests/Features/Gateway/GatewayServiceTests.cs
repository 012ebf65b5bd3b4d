using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Gateway;
using Warden.Features.Gateway;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Gateway;

[Collection(AppCollection.Name)]
public sealed class GatewayServiceTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private const string Secret = "wk-live-7d1c0a9e5b3f48e2";

    [Fact]
    public async Task RegisterAsync_HttpUpstreamWithCredentials_StoresThemSealedAndShowsOnlyTheirNames()
    {
        var id = await RegisterAsync(new UpstreamDraft
        {
            Name = Name("remote"),
            Transport = UpstreamTransport.Http,
            Url = "https://mcp.example.com/mcp",
            Headers = new Dictionary<string, string> { ["X-Api-Key"] = Secret },
        });

        var row = (await ReadAsync(DemoAccounts.Auditor)).Value.Single(u => u.Id == id);
        var (stored, audited) = await app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
            var upstream = await db.GatewayUpstreams.AsNoTracking().SingleAsync(u => u.Id == id);
            var events = await db.AuditEvents.Where(e => e.Subject == id).Select(e => e.Kind + " " + e.Data).ToListAsync();
            return (upstream.SealedHeaders, events);
        });
        var opened = app.Services.GetRequiredService<UpstreamSecrets>().Open(stored);

        row.HeaderNames.ShouldBe(["X-Api-Key"]);
        row.ToString().ShouldNotContain(Secret);
        stored.ShouldNotBeNull().ShouldNotContain(Secret);
        opened["X-Api-Key"].ShouldBe(Secret);
        audited.ShouldHaveSingleItem().ShouldStartWith("gateway.upstream_registered");
        audited.ShouldAllBe(e => !e.Contains(Secret));
    }

    [Fact]
    public async Task MapAsync_ANameAgentsAlreadySeeOnAnotherUpstream_IsRefused()
    {
        var first = await RegisterAsync(Stdio(Name("first")));
        var second = await RegisterAsync(Stdio(Name("second")));
        var listed = Name("lookup");
        (await MapAsync(first, new MappingDraft("search", listed, "kb.read", "read", "kb/{query}", null))).IsSuccess.ShouldBeTrue();

        var clash = await MapAsync(second, new MappingDraft("find", listed, "kb.read", "read", "kb/{query}", null));

        clash.Error.Code.ShouldBe("gateway.name_taken");
        (await ReadAsync(DemoAccounts.Officer)).Value.Single(u => u.Id == second).Mappings.ShouldBeEmpty();
    }

    [Fact]
    public async Task Changes_AreEachAudited_WithThePersonWhoMadeThem()
    {
        var id = await RegisterAsync(Stdio(Name("audited")));
        await MapAsync(id, new MappingDraft("echo", Name("echo"), "demo.echo", "read", "echo/{message}", "medium"));
        var listed = (await ReadAsync(DemoAccounts.Owner)).Value.Single(u => u.Id == id).Mappings.Single();
        await app.AsUserAsync<GatewayService, Result>(DemoAccounts.Officer, s => s.UnmapAsync(id, listed.ExposedName));
        await app.AsUserAsync<GatewayService, Result>(DemoAccounts.Officer, s => s.RemoveAsync(id));

        var events = await app.InScopeAsync(async sp =>
        {
            await using var db = await sp.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
            return await db.AuditEvents.Where(e => e.Subject == id).OrderBy(e => e.Sequence).Select(e => new { e.Kind, e.ActorName }).ToListAsync();
        });

        listed.MinimumRisk.ShouldBe("medium");
        events.Select(e => e.Kind).ShouldBe(["gateway.upstream_registered", "gateway.tool_mapped", "gateway.tool_unmapped", "gateway.upstream_removed"]);
        events.ShouldAllBe(e => e.ActorName == DemoAccounts.Officer);
    }

    private static string Name(string hint) => $"{hint}-{Guid.NewGuid():N}"[..(hint.Length + 9)];

    private static UpstreamDraft Stdio(string name) => new() { Name = name, Transport = UpstreamTransport.Stdio, Command = "node", Arguments = ["server.js"] };

    private async Task<string> RegisterAsync(UpstreamDraft draft)
    {
        var registered = await app.AsUserAsync<GatewayService, Result<string>>(DemoAccounts.Officer, s => s.RegisterAsync(draft));
        registered.IsSuccess.ShouldBeTrue(registered.Error.ToString());
        return registered.Value;
    }

    private Task<Result> MapAsync(string id, MappingDraft draft) =>
        app.AsUserAsync<GatewayService, Result>(DemoAccounts.Officer, s => s.MapAsync(id, draft));

    private Task<Result<IReadOnlyList<UpstreamRow>>> ReadAsync(string email) =>
        app.AsUserAsync<GatewayService, Result<IReadOnlyList<UpstreamRow>>>(email, s => s.GetUpstreamsAsync());
}
