using Warden.Cluster.Tests.Support;

namespace Warden.Cluster.Tests;

/// <summary>Instances started at the same moment on an empty database take turns preparing it and all come up.</summary>
public sealed class StartupTests : IAsyncLifetime
{
    private const int Rounds = 3;
    private readonly PostgresServer _server = new();

    public ValueTask InitializeAsync() => _server.InitializeAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task TwoInstances_StartedTogetherOnAnEmptyDatabase_BothBecomeReadyEveryTime()
    {
        for (var round = 1; round <= Rounds; round++)
        {
            await using var cluster = await WardenCluster.StartAsync(_server, instances: 2, demo: true);

            var migrations = await cluster.ScalarAsync<long>("SELECT count(*) FROM \"__EFMigrationsHistory\"");
            var people = await cluster.ScalarAsync<long>("SELECT count(*) FROM \"AspNetUsers\"");
            migrations.ShouldBeGreaterThan(0);
            people.ShouldBe(Warden.Infrastructure.Identity.DemoPeople.All.Count, $"round {round}: the demo people are seeded once\n{cluster.Output}");
            foreach (var instance in cluster.Instances)
                (await AgentClient.SignInAsync(instance)).Token.ShouldNotBeNullOrEmpty();
        }
    }
}
