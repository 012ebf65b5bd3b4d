using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Features.Agents;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Agents;

[Collection(AppCollection.Name)]
public sealed class AgentImportServiceTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Fact]
    public async Task ImportAsync_WithValidFile_RegistersEveryRowWithImportedChanges()
    {
        var name = Unique("Importer");
        var json = $$"""
            [
              { "name": "{{name}} A", "purpose": "Reads tickets.", "segment": "support",
                "tools": [ { "name": "tickets.read", "operations": ["read"], "risk": "low" } ],
                "scopes": ["helpdesk/tickets/*"], "ownerEmail": "owner2@warden.example" },
              { "name": "{{name}} B", "purpose": "Closes tickets.", "segment": "support",
                "tools": [ { "name": "tickets.close", "operations": ["write"], "risk": "medium" } ],
                "ownerEmail": "owner@warden.example", "backupOwnerEmail": "owner2@warden.example" }
            ]
            """;

        var result = await ImportAsync(DemoAccounts.Officer, json);

        result.Value.Errors.ShouldBeEmpty();
        result.Value.Imported.ShouldBe(2);
        (await CountStartingWithAsync(name)).ShouldBe(2);
    }

    [Fact]
    public async Task ImportAsync_WithSomeBadRows_ReportsEachWithItsLineAndImportsNothing()
    {
        var name = Unique("Partial");
        var json = $$"""
            [
              { "name": "{{name}} good", "purpose": "Fine.", "segment": "ops", "ownerEmail": "owner@warden.example",
                "tools": [ { "name": "ops.read", "operations": ["read"], "risk": "low" } ] },
              { "name": "", "purpose": "No name.", "segment": "ops",
                "tools": [ { "name": "ops.read", "operations": ["read"], "risk": "low" } ] },
              { "name": "{{name}} bad owner", "purpose": "Unknown owner.", "segment": "ops",
                "tools": [ { "name": "ops.read", "operations": ["read"], "risk": "low" } ], "ownerEmail": "nobody@warden.example" },
              { "name": "{{name}} bad scope", "purpose": "Bad scope.", "segment": "ops", "scopes": ["a/**/b"],
                "tools": [ { "name": "ops.read", "operations": ["read"], "risk": "low" } ] }
            ]
            """;

        var result = await ImportAsync(DemoAccounts.Officer, json);

        result.Value.Imported.ShouldBe(0);
        result.Value.Errors.Select(e => e.Line).ShouldBe([4, 6, 8]);
        result.Value.Errors[0].Message.ShouldBe("Give the agent a name.");
        result.Value.Errors[1].Message.ShouldContain("nobody@warden.example");
        result.Value.Errors[2].Message.ShouldContain("'**'");
        (await CountStartingWithAsync(name)).ShouldBe(0);
    }

    [Theory]
    [InlineData("", "The file is empty.")]
    [InlineData("{ \"name\": \"x\" }", "JSON array")]
    [InlineData("[ { \"name\": \"x\", ", "Not valid JSON")]
    [InlineData("[ { \"name\": \"x\", \"colour\": \"red\" } ]", "colour")]
    public async Task ImportAsync_WithMalformedFile_SaysWhyAndImportsNothing(string json, string expected)
    {
        var before = await CountStartingWithAsync(string.Empty);

        var result = await ImportAsync(DemoAccounts.Officer, json);

        result.Value.Imported.ShouldBe(0);
        result.Value.Errors.ShouldNotBeEmpty();
        result.Value.Errors[0].Message.ShouldContain(expected);
        (await CountStartingWithAsync(string.Empty)).ShouldBe(before);
    }

    [Fact]
    public async Task ImportAsync_ByOwnerNamingAnotherOwner_IsRefusedForThatRow()
    {
        var json = """
            [ { "name": "Owner import", "purpose": "x", "segment": "ops", "ownerEmail": "owner2@warden.example",
                "tools": [ { "name": "ops.read", "operations": ["read"], "risk": "low" } ] } ]
            """;

        var result = await ImportAsync(DemoAccounts.Owner, json);

        result.Value.Errors.ShouldHaveSingleItem().Message.ShouldBe(AgentRegistryErrors.OwnersRegisterForThemselves.Message);
    }

    [Fact]
    public async Task ImportAsync_ByAuditor_IsRefused()
    {
        var result = await ImportAsync(DemoAccounts.Auditor, "[]");

        result.Error.Code.ShouldBe("access.forbidden");
    }

    private Task<Result<ImportResult>> ImportAsync(string email, string json) =>
        app.AsUserAsync<AgentImportService, Result<ImportResult>>(email, s => s.ImportAsync(json));

    private static string Unique(string prefix) => $"{prefix} {Guid.NewGuid():N}"[..20];

    private async Task<int> CountStartingWithAsync(string prefix)
    {
        await using var db = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        var normalized = prefix.ToUpperInvariant();
        return await db.Agents.CountAsync(a => a.NormalizedName.StartsWith(normalized));
    }
}
