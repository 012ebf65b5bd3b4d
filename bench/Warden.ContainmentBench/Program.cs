using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Domain.Containment;
using Warden.Features.Agents;
using Warden.Features.Containment;
using Warden.Features.Credentials;
using Warden.LoadBench;
using Warden.Persistence;

namespace Warden.ContainmentBench;

/// <summary>
/// Time-to-contain and the trip race on one instance: agents keep asking for decisions over real HTTP
/// while an officer trips each one; no request that starts after the trip returned may be allowed.
/// Usage: dotnet run -c Release --project bench/Warden.ContainmentBench [-- --trials 1000 --senders 3 --seed 7]
/// </summary>
internal static class Harness
{
    public static async Task<int> Main(string[] args)
    {
        var trials = Option(args, "--trials", 1000);
        var senders = Option(args, "--senders", 3);
        var seed = Option(args, "--seed", 7);
        var clock = TimeProvider.System;
        Console.WriteLine(MachineInfo.Describe(clock.GetUtcNow()));
        Console.WriteLine($"Load average (1, 5, 15 min) at start: {MachineInfo.LoadAverage()}");

        await using var host = new BenchHost();
        host.StartServer();
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        const string owner = "owner@warden.example";
        const string officer = "officer@warden.example";

        Console.WriteLine($"Registering {trials} agents with secrets and tokens ...");
        var setup = Stopwatch.StartNew();
        var agents = new List<(string Id, string Token)>();
        for (var i = 0; i < trials; i++)
        {
            var draft = new AgentDraft
            {
                Name = $"Bench agent {i:D5}",
                Purpose = "Asks for decisions while containment is measured.",
                Segment = "bench",
                Tools = [new ToolDraft("crm.read", [OperationKind.Read], RiskTier.Low, null)],
                Scopes = ["crm/accounts/*"],
                RateLimitPerMinute = 100_000,
            };
            var id = (await host.AsUserAsync<AgentRegistryService, Result<string>>(owner, s => s.RegisterAsync(draft))).Value;
            var secret = (await host.AsUserAsync<CredentialService, Result<string>>(owner, s => s.IssueSecretAsync(id))).Value;
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = id, ["client_secret"] = secret });
            using var response = await http.PostAsync(new Uri("/connect/token", UriKind.Relative), form);
            var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString()!;
            agents.Add((id, token));
        }
        Console.WriteLine($"Set up in {setup.Elapsed.TotalSeconds:F1} s.");

        var random = new Random(seed);
        var revoke = new List<double>();
        var clientSeen = new List<double>();
        var tripCall = new List<double>();
        long afterTrip = 0, allowedAfterTrip = 0, total = 0;
        var containmentIds = new List<string>();
        var run = Stopwatch.StartNew();
        foreach (var (id, token) in agents)
        {
            using var stop = new CancellationTokenSource();
            var loops = Enumerable.Range(0, senders).Select(_ => SendUntilAsync(host.BaseAddress, token, stop.Token)).ToList();
            await Task.Delay(random.Next(2, 15));
            var calling = Stopwatch.GetTimestamp();
            var result = await host.AsUserAsync<ContainmentService, Result<TripResult>>(officer, s => s.TripAsync(ContainmentScope.Agent, id, "containment benchmark"));
            var returned = Stopwatch.GetTimestamp();
            tripCall.Add(Stopwatch.GetElapsedTime(calling, returned).TotalMilliseconds);
            if (result.IsFailure)
                throw new InvalidOperationException(result.Error.Message);
            containmentIds.Add(result.Value.ContainmentId);
            revoke.Add(result.Value.TimeToRevocation!.Value.TotalMilliseconds);
            await Task.Delay(random.Next(10, 30));
            await stop.CancelAsync();
            var sent = (await Task.WhenAll(loops)).SelectMany(s => s).ToList();
            total += sent.Count;
            var late = sent.Where(s => s.Started > returned).ToList();
            afterTrip += late.Count;
            allowedAfterTrip += late.Count(s => s.Allowed);
            var firstRefused = sent.Where(s => !s.Allowed && s.Refused).Select(s => s.Ended).DefaultIfEmpty(0).Min();
            if (firstRefused > 0)
                clientSeen.Add(Math.Max(0, Stopwatch.GetElapsedTime(returned, firstRefused).TotalMilliseconds));
        }
        var elapsed = run.Elapsed;
        await Task.Delay(2500);

        List<double> serverRefusal;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync();
            var rows = await db.Containments.AsNoTracking().Where(c => containmentIds.Contains(c.Id)).ToListAsync();
            serverRefusal = rows.Where(r => r.TimeToFirstRefusal is not null).Select(r => r.TimeToFirstRefusal!.Value.TotalMilliseconds).ToList();
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{trials} trials in {elapsed.TotalSeconds:F1} s, {senders} senders per agent, {total:N0} requests, {afterTrip:N0} started after their trip returned."));
        Console.WriteLine($"Allowed after the trip returned: {allowedAfterTrip}");
        Console.WriteLine();
        Console.WriteLine("| measure | trials | p50 ms | p99 ms | max ms |");
        Console.WriteLine("|---|---|---|---|---|");
        Row("trip committed → tokens refused, clients disabled (server)", revoke);
        Row("trip committed → first refused request (server)", serverRefusal);
        Row("trip returned → first refusal seen by the agent (client)", clientSeen);
        Row("trip call, from the officer's call to its return (access check, commit, what follows)", tripCall);
        Console.WriteLine($"Load average (1, 5, 15 min) at end: {MachineInfo.LoadAverage()}");
        return allowedAfterTrip == 0 ? 0 : 1;
    }

    private static void Row(string name, List<double> values)
    {
        values.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {values.Count} | {Percentile(values, 0.50):F3} | {Percentile(values, 0.99):F3} | {(values.Count == 0 ? 0 : values[^1]):F3} |"));
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static async Task<List<Sent>> SendUntilAsync(Uri baseAddress, string token, CancellationToken stop)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var body = JsonSerializer.Serialize(new { tool = "crm.read", operation = "read", resource = "crm/accounts/1", parameters = new { }, impact = new { records = 1 } });
        var sent = new List<Sent>();
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await client.PostAsync(new Uri("/api/v1/decisions", UriKind.Relative), content, CancellationToken.None);
            var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
            var ended = Stopwatch.GetTimestamp();
            var allowed = response.StatusCode == HttpStatusCode.OK && text.Contains("\"outcome\":\"allow\"", StringComparison.Ordinal);
            var refused = response.StatusCode == HttpStatusCode.Forbidden || text.Contains("\"code\":\"contained\"", StringComparison.Ordinal);
            sent.Add(new Sent(started, ended, allowed, refused));
        }
        return sent;
    }

}

internal sealed record Sent(long Started, long Ended, bool Allowed, bool Refused);
