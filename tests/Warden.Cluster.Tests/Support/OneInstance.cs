namespace Warden.Cluster.Tests.Support;

/// <summary>One demo instance on a PostgreSQL server of its own, shared by the tests of <see cref="OneInstanceCollection"/>.</summary>
public sealed class OneInstance : IAsyncLifetime
{
    public PostgresServer Server { get; } = new();

    public WardenCluster Cluster { get; private set; } = null!;

    public WardenInstance Instance => Cluster.A;

    public async ValueTask InitializeAsync()
    {
        await Server.InitializeAsync();
        Cluster = await WardenCluster.StartAsync(Server, instances: 1, demo: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
            await Cluster.DisposeAsync();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class OneInstanceCollection : ICollectionFixture<OneInstance>
{
    public const string Name = "one instance on PostgreSQL";
}
