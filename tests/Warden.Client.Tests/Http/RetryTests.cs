using System.Net;
using Warden.Client.Tests.Support;

namespace Warden.Client.Tests.Http;

/// <summary>What the client repeats after a failure, and what it never repeats, against the real console.</summary>
public sealed class RetryTests(WardenHost host)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static WardenAsk Read() => WardenAsk.For("tickets.read", "read", $"helpdesk/tickets/{Random.Shared.Next(100_000, 999_999)}");

    private static (string Method, string? Key)[] Asks(ScriptedHandler handler) =>
        handler.Seen.Where(s => s.Path == "/api/v1/decisions").Select(s => (s.Method.Method, s.IdempotencyKey)).ToArray();

    [Fact]
    public async Task AskAsync_WhenTheAnswerIsLost_RetriesWithTheSameKeyAndGetsTheDecisionWardenMade()
    {
        using var handler = new ScriptedHandler().ThenLoseTheAnswer();
        using var http = new HttpClient(handler);
        using var client = host.ClientFor(http: http);
        var ask = Read();

        var decision = await client.AskAsync(ask, cancellationToken: Cancel);
        var direct = await client.AskAsync(ask, Asks(handler)[0].Key, Cancel);

        var asks = Asks(handler);
        asks.Length.ShouldBe(3);
        asks[1].Key.ShouldBe(asks[0].Key);
        decision.Id.ShouldBe(direct.Id);
    }

    [Fact]
    public async Task AskAsync_WhenTheConnectionFails_RetriesAndIsAnswered()
    {
        using var handler = new ScriptedHandler().ThenFailToConnect();
        using var http = new HttpClient(handler);
        using var client = host.ClientFor(http: http);

        var decision = await client.AskAsync(Read(), cancellationToken: Cancel);

        decision.Outcome.ShouldBe(WardenVerdict.Allow);
        Asks(handler).Length.ShouldBe(2);
    }

    [Fact]
    public async Task AskAsync_WhenWardenIsUnavailableEveryTime_ThrowsUnavailableAfterTheRetries()
    {
        var problem = """{"type":"urn:warden:problem:decision-unavailable","title":"No decision could be made","status":503,"detail":"Retry with the same Idempotency-Key."}""";
        using var handler = new ScriptedHandler();
        for (var i = 0; i < 3; i++)
            handler.ThenAnswer(HttpStatusCode.ServiceUnavailable, problem);
        using var http = new HttpClient(handler);
        using var client = host.ClientFor(http: http, maxRetries: 2);

        var refused = await Should.ThrowAsync<WardenUnavailableException>(() => client.AskAsync(Read(), cancellationToken: Cancel));

        refused.StatusCode.ShouldBe(503);
        Asks(handler).Select(a => a.Key).Distinct().Count().ShouldBe(1);
        Asks(handler).Length.ShouldBe(3);
    }

    [Fact]
    public async Task ReportOutcomeAsync_WhenTheAnswerIsLost_IsNotRepeated()
    {
        using var handler = new ScriptedHandler();
        using var http = new HttpClient(handler);
        using var client = host.ClientFor(http: http);
        var decision = await client.AskAsync(Read(), cancellationToken: Cancel);
        handler.Then(async (_, send) =>
        {
            using var real = await send();
            return new HttpResponseMessage(HttpStatusCode.BadGateway);
        });

        await Should.ThrowAsync<WardenException>(() =>
            client.ReportOutcomeAsync(decision.Id, new WardenOutcomeReport(decision.Grant!.Token, WardenOutcomeStatus.Succeeded), Cancel));

        handler.Seen.Count(s => s.Path.EndsWith("/outcome", StringComparison.Ordinal)).ShouldBe(1);
        (await host.DecisionStateAsync(decision.Id)).ShouldBe("completed");
    }

    [Fact]
    public async Task GetDecisionAsync_ThrottledWithAShortRetryAfter_WaitsAndRetries()
    {
        using var handler = new ScriptedHandler();
        using var http = new HttpClient(handler);
        using var client = host.ClientFor(http: http);
        var decision = await client.AskAsync(Read(), cancellationToken: Cancel);
        handler.ThenAnswer(HttpStatusCode.TooManyRequests,
            """{"type":"urn:warden:problem:rate-limited","title":"Too many calls","status":429}""", retryAfter: TimeSpan.FromSeconds(1));

        var read = await client.GetDecisionAsync(decision.Id, cancellationToken: Cancel);

        read.Id.ShouldBe(decision.Id);
        handler.Seen.Count(s => s.Path.EndsWith(decision.Id, StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public async Task GetDecisionAsync_ThrottledForLongerThanTheClientWaits_ThrowsRateLimitedWithRetryAfter()
    {
        using var handler = new ScriptedHandler();
        using var http = new HttpClient(handler);
        using var client = host.ClientFor(http: http);
        var decision = await client.AskAsync(Read(), cancellationToken: Cancel);
        handler.ThenAnswer(HttpStatusCode.TooManyRequests,
            """{"type":"urn:warden:problem:rate-limited","title":"Too many calls","status":429}""", retryAfter: TimeSpan.FromSeconds(40));

        var limited = await Should.ThrowAsync<WardenRateLimitedException>(() => client.GetDecisionAsync(decision.Id, cancellationToken: Cancel));

        limited.RetryAfter.ShouldBe(TimeSpan.FromSeconds(40));
        handler.Seen.Count(s => s.Path.EndsWith(decision.Id, StringComparison.Ordinal)).ShouldBe(1);
    }

    [Fact]
    public async Task AskAsync_WhenTheTokenIsRefused_GetsANewTokenOnceAndAsksAgain()
    {
        using var handler = new ScriptedHandler().ThenAnswer(HttpStatusCode.Unauthorized,
            """{"type":"urn:warden:problem:token-refused","title":"Not authenticated","status":401,"detail":"This token was invalidated; get a new one."}""");
        using var http = new HttpClient(handler);
        using var client = host.ClientFor(http: http);

        var decision = await client.AskAsync(Read(), cancellationToken: Cancel);

        decision.Outcome.ShouldBe(WardenVerdict.Allow);
        handler.Seen.Count(s => s.Path == "/connect/token").ShouldBe(2);
    }
}
