namespace Warden.Cluster.Tests.Support;

/// <summary>
/// Two or more Warden instances on one fresh PostgreSQL database, configured as a cluster must be: the
/// same database, the same token issuer, and a data folder of their own each. Instances are named A,
/// B, C… and started together.
/// </summary>
public sealed class WardenCluster : IAsyncDisposable
{
    public const string Issuer = "http://warden.cluster.test/";

    private readonly string _root;

    private WardenCluster(PostgresServer server, string database, string root, IReadOnlyList<WardenInstance> instances)
    {
        Server = server;
        Database = database;
        _root = root;
        Instances = instances;
    }

    public PostgresServer Server { get; }

    public string Database { get; }

    public IReadOnlyList<WardenInstance> Instances { get; }

    public WardenInstance A => Instances[0];

    public WardenInstance B => Instances[1];

    /// <summary>The settings every instance of a cluster shares (anything in <paramref name="settings"/> is added or wins).</summary>
    public static Dictionary<string, string> SharedSettings(string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        var shared = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = connectionString,
            ["AgentIdentity:Issuer"] = Issuer,
            // One key-encryption key per cluster: every instance opens the keys the first one stored.
            ["Keys:EncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Jobs:Storage"] = "Database",
            ["Jobs:SchedulePollingSeconds"] = "1",
            // The demo's people and agents are seeded, but nobody acts unless a test does.
            ["Demo:RunAgents"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            shared[key] = value;
        return shared;
    }

    /// <summary>Creates an empty database and starts <paramref name="instances"/> instances on it at the same moment.</summary>
    public static async Task<WardenCluster> StartAsync(
        PostgresServer server, int instances = 2, bool demo = true, IReadOnlyDictionary<string, string>? settings = null)
    {
        var database = await server.CreateDatabaseAsync();
        var root = Path.Combine(Path.GetTempPath(), "warden-cluster-" + Guid.NewGuid().ToString("N")[..10]);
        var shared = SharedSettings(server.ConnectionString(database), settings);
        var members = Enumerable.Range(0, instances)
            .Select(i => ((char)('A' + i)).ToString())
            .Select(name => new WardenInstance(name, Path.Combine(root, name), shared, demo))
            .ToList();
        var cluster = new WardenCluster(server, database, root, members);
        try
        {
            foreach (var member in members)
                member.Start();
            await Task.WhenAll(members.Select(m => m.WaitUntilReadyAsync()));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public Task<T> ScalarAsync<T>(string sql) => Server.ScalarAsync<T>(Database, sql);

    public Task<IReadOnlyList<T>> ColumnAsync<T>(string sql) => Server.ColumnAsync<T>(Database, sql);

    /// <summary>Every instance's recent output, for a failure message.</summary>
    public string Output => string.Join("\n\n", Instances.Select(i => i.Output));

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in Instances)
            await instance.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Left to the system's temp clean-up.
        }
    }
}
