using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Audit;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Features.Credentials;

namespace Warden.LoadBench;

/// <summary>
/// Agents whose limits do not refuse the load: registered by the demo owner through the agent
/// registry, in the app hosted in this process over the data folder the child process then starts
/// on, with the highest rate limit an agent can have and no caps or budgets, tools to read and
/// change accounts and to delete records, and the accounts and production records as their scopes.
/// </summary>
public static class BenchAgents
{
    public const string ReadTool = "crm.read";
    public const string ChangeTool = "crm.update";
    public const string DeleteTool = "records.delete";
    public const string Scope = "crm/accounts/*";

    /// <summary>In scope, but the default policy refuses every delete under prod/ (<c>deny-prod-deletes</c>).</summary>
    public const string ProductionScope = "prod/records/*";
    private const string Owner = "owner@warden.example";

    public static string MaxRateDescription { get; } = string.Create(CultureInfo.InvariantCulture,
        $"{AgentProfile.MaxRateLimitPerMinute:N0} decisions a minute each, no caps or budgets");

    /// <param name="seedDecisions">Decisions of these agents already in the database before the app starts (<see cref="DecisionHistory"/>).</param>
    public static async Task<IReadOnlyList<(string Id, string Secret)>> RegisterAsync(string dataDirectory, int count, int seedDecisions = 0)
    {
        IReadOnlyList<(string Id, string Secret)> agents;
        AuditCheckpointSigner signer;
        try
        {
            await using var host = new SetupHost(dataDirectory);
            agents = await RegisterAsync(host, count);
            signer = host.Services.GetRequiredService<AuditCheckpointKey>().Signer;
        }
        finally
        {
            // The seeding and then the child process open the same file next.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
        if (seedDecisions > 0)
            DecisionHistory.Seed(dataDirectory, [.. agents.Select(a => a.Id)], seedDecisions, TimeProvider.System.GetUtcNow(), signer);
        return agents;
    }

    private static async Task<IReadOnlyList<(string Id, string Secret)>> RegisterAsync(SetupHost host, int count)
    {
        var agents = new List<(string, string)>(count);
        for (var i = 0; i < count; i++)
        {
            var draft = new AgentDraft
            {
                Name = string.Create(CultureInfo.InvariantCulture, $"Load agent {i:D2}"),
                Purpose = "Asks for decisions while their cost is measured.",
                Segment = "bench",
                Tools =
                [
                    new ToolDraft(ReadTool, [OperationKind.Read], RiskTier.Low, null),
                    new ToolDraft(ChangeTool, [OperationKind.Write], RiskTier.Medium, null),
                    new ToolDraft(DeleteTool, [OperationKind.Delete], RiskTier.High, null),
                ],
                Scopes = [Scope, ProductionScope],
                RateLimitPerMinute = AgentProfile.MaxRateLimitPerMinute,
            };
            var id = Value(await host.AsOwnerAsync<AgentRegistryService, Result<string>>(s => s.RegisterAsync(draft)));
            var secret = Value(await host.AsOwnerAsync<CredentialService, Result<string>>(s => s.IssueSecretAsync(id)));
            agents.Add((id, secret));
        }
        return agents;
    }

    private static T Value<T>(Result<T> result) =>
        result.IsSuccess ? result.Value : throw new InvalidOperationException($"Setting up the load agents failed: {result.Error.Message}");

    /// <summary>The app in this process, only long enough to register the agents; its data folder stays.</summary>
    private sealed class SetupHost(string dataDirectory) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseContentRoot(AppProcess.RepositoryRoot());
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("Database:ConnectionString", string.Empty);
            builder.UseSetting("Database:DataDirectory", dataDirectory);
            builder.UseSetting("Jobs:Storage", "InMemory");
            builder.UseSetting("Demo:Enabled", "true");
            builder.UseSetting("Demo:RunAgents", "false");
            // The officer's review of new agents is not what is measured.
            builder.UseSetting("Directory:NewAgentsNeedReview", "false");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
        }

        /// <summary>Calls the service as the demo owner, signed in just now with a second factor.</summary>
        public Task<T> AsOwnerAsync<TService, T>(Func<TService, Task<T>> call)
            where TService : notnull =>
            SignedInCalls.AsUserAsync(Services, Owner, call);
    }
}
