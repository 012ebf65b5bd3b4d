using System.Diagnostics;
using System.Net;
using Warden.Domain;
using Warden.Domain.Containment;
using Warden.Features.Containment;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Containment;

/// <summary>
/// The containment promise under load: while an agent keeps asking, every request that starts after
/// the trip returned is refused. A seeded, smaller run of the benchmark in bench/Warden.ContainmentBench.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class TripRaceTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private const int Trials = 20;
    private const int Senders = 3;

    [Fact]
    public async Task NoRequestStartedAfterTheTripReturned_IsEverAllowed()
    {
        var random = new Random(20261125);
        var afterTrip = 0;
        var allowedAfterTrip = new List<string>();
        for (var trial = 0; trial < Trials; trial++)
        {
            var agent = await RegisterAsync(app, Draft(rateLimit: 100_000));
            using var client = Client(app, agent.Token);
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, Senders).Select(_ => SendUntilAsync(client, stop.Token)).ToList();
            await Task.Delay(random.Next(5, 40), TestContext.Current.CancellationToken);

            var trip = await app.AsUserAsync<ContainmentService, Result<TripResult>>(DemoAccounts.Officer,
                s => s.TripAsync(ContainmentScope.Agent, agent.Id, $"race trial {trial}"));
            var returned = Stopwatch.GetTimestamp();
            trip.IsSuccess.ShouldBeTrue(trip.Error.ToString());
            await Task.Delay(random.Next(20, 60), TestContext.Current.CancellationToken);
            await stop.CancelAsync();
            var sent = (await Task.WhenAll(senders)).SelectMany(s => s).ToList();

            var late = sent.Where(s => s.StartedAt > returned).ToList();
            afterTrip += late.Count;
            allowedAfterTrip.AddRange(late.Where(s => s.Allowed).Select(s => $"trial {trial}: {s.Body}"));
            late.ShouldAllBe(s => s.RefusedAsContained, $"trial {trial}");
        }

        allowedAfterTrip.ShouldBeEmpty();
        afterTrip.ShouldBeGreaterThan(Trials, "the traffic kept coming after the trips, or the check proves nothing");
    }

    private sealed record Sent(long StartedAt, HttpStatusCode Status, string Body)
    {
        public bool Allowed => Status == HttpStatusCode.OK && Body.Contains("\"outcome\":\"allow\"", StringComparison.Ordinal);

        // Refused at the token gate (403 contained) or by the pipeline's containment step (deny, reason contained).
        public bool RefusedAsContained => Status == HttpStatusCode.Forbidden
            || (Status == HttpStatusCode.OK && Body.Contains("\"code\":\"contained\"", StringComparison.Ordinal));
    }

    private static async Task<List<Sent>> SendUntilAsync(HttpClient client, CancellationToken stop)
    {
        var sent = new List<Sent>();
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await DecideAsync(client, Body());
            sent.Add(new Sent(started, response.StatusCode, await response.Content.ReadAsStringAsync(CancellationToken.None)));
        }
        return sent;
    }
}
