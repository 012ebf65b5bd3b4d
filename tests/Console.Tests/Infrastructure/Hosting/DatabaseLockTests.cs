using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.Hosting;

/// <summary>The app with a one-second wait for a held database lock.</summary>
public sealed class ShortLockWaitApp() : WardenAppFactory(new Dictionary<string, string?> { ["Database:LockWaitSeconds"] = "1" });

/// <summary>Another connection holds the database's write lock: a request gives up with a 503 problem instead of hanging.</summary>
[Collection(AppCollection.Name)]
public sealed class DatabaseLockTests(ShortLockWaitApp app) : IClassFixture<ShortLockWaitApp>
{
    [Fact]
    public async Task Decision_WhileAnotherConnectionHoldsTheWriteLock_Is503ProblemAndNotAnAllow()
    {
        var agent = await AgentApiClient.RegisterAsync(app);
        using var client = AgentApiClient.Client(app, agent.Token);
        // Well below the default waits (30 s and more before the bound was configurable), well above the one configured here.
        client.Timeout = TimeSpan.FromSeconds(20);
        await using var holder = new SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "warden.db")};Pooling=False");
        await holder.OpenAsync(TestContext.Current.CancellationToken);
        await using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            await begin.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        HttpResponseMessage response;
        try
        {
            response = await AgentApiClient.DecideAsync(client, AgentApiClient.Body(), Guid.NewGuid().ToString());
        }
        finally
        {
            await using var rollback = holder.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, text);
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
            JsonDocument.Parse(text).RootElement.GetProperty("type").GetString()!.ShouldBeOneOf(
                "urn:warden:problem:database-unavailable", "urn:warden:problem:decision-unavailable");
            text.ShouldNotContain("\"allow\"");
        }
    }
}
