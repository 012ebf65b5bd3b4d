using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Warden.Persistence;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Guardrails;

/// <summary>
/// Hosted detectors through a real HTTP detector on Kestrel: one that fails closed and one that fails
/// open. What each answers depends on a marker word in the request.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DetectorTests : IAsyncLifetime
{
    private WebApplication _detector = null!;
    private WardenAppFactory _app = null!;

    public ConcurrentQueue<(string Path, JsonElement Body)> Asked { get; } = new();

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _detector = builder.Build();
        _detector.MapPost("/{mode}", AnswerAsync);
        await _detector.StartAsync();
        var url = _detector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // Timeouts with room for a loaded machine's first connection; the slow answer takes ten times longer.
        _app = WardenAppFactory.With(new Dictionary<string, string?>
        {
            ["Guardrails:Detectors:0:Name"] = "classifier",
            ["Guardrails:Detectors:0:Url"] = url + "/closed",
            ["Guardrails:Detectors:0:TimeoutMilliseconds"] = "2000",
            ["Guardrails:Detectors:0:ApiKey"] = "detector-key",
            ["Guardrails:Detectors:1:Name"] = "advisory",
            ["Guardrails:Detectors:1:Url"] = url + "/open",
            ["Guardrails:Detectors:1:TimeoutMilliseconds"] = "2000",
            ["Guardrails:Detectors:1:FailClosed"] = "false",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _detector.DisposeAsync();
    }

    private async Task AnswerAsync(string mode, HttpContext context)
    {
        using var document = await JsonDocument.ParseAsync(context.Request.Body);
        var body = document.RootElement.Clone();
        Asked.Enqueue((mode, body));
        var text = body.GetProperty("content").GetRawText();
        var authorized = context.Request.Headers.Authorization.ToString() == "Bearer detector-key";
        object answer = (mode, text) switch
        {
            ("closed", _) when !authorized => Results.Unauthorized(),
            ("closed", var t) when t.Contains("SLOW", StringComparison.Ordinal) => await SlowAsync(context.RequestAborted),
            ("closed", var t) when t.Contains("ODD", StringComparison.Ordinal) => new { findings = new[] { new { kind = "harmless.thing", location = "$", confidence = 0.5 } } },
            ("closed", var t) when t.Contains("SNEAKY", StringComparison.Ordinal) =>
                new { findings = new[] { new { kind = "injection.classifier", location = "$.prompt", confidence = 0.93 } } },
            ("open", var t) when t.Contains("OPENFAIL", StringComparison.Ordinal) => Results.StatusCode(500),
            _ => new { findings = Array.Empty<object>() },
        };
        if (answer is IResult result)
            await result.ExecuteAsync(context);
        else
            await context.Response.WriteAsJsonAsync(answer);
    }

    private static async Task<object> SlowAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(20), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        return new { findings = Array.Empty<object>() };
    }

    private async Task<JsonElement> DecideWithAsync(string prompt)
    {
        var agent = await RegisterAsync(_app);
        using var client = Client(_app, agent.Token);
        using var response = await DecideAsync(client, Body(parameters: new { prompt }));
        return await JsonOf(response);
    }

    [Fact]
    public async Task DetectorFinding_ReachesThePolicy_AndIsStoredUnderTheDetectorsName()
    {
        var answer = await DecideWithAsync("a perfectly SNEAKY request");

        answer.GetProperty("outcome").GetString().ShouldBe("pending");
        await using var db = _app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContext();
        var id = answer.GetProperty("id").GetString();
        var finding = await db.GuardrailFindings.AsNoTracking().SingleAsync(f => f.DecisionId == id, TestContext.Current.CancellationToken);
        (finding.Kind, finding.Scanner, finding.Location).ShouldBe(("injection.classifier", "external:classifier", "$.prompt"));
        var asked = Asked.Where(a => a.Body.GetProperty("content").GetRawText().Contains("SNEAKY", StringComparison.Ordinal)).ToList();
        asked.Select(a => a.Path).Order().ShouldBe(["closed", "open"]);
        asked[0].Body.GetProperty("stage").GetString().ShouldBe("request");
        asked[0].Body.GetProperty("tool").GetString().ShouldBe("crm.read");
    }

    [Fact]
    public async Task FailClosedDetector_ThatDoesNotAnswerInTime_RefusesTheRequest()
    {
        var answer = await DecideWithAsync("SLOW please");

        answer.GetProperty("outcome").GetString().ShouldBe("deny");
        var reason = answer.GetProperty("reasons")[0];
        reason.GetProperty("code").GetString().ShouldBe("guardrail_unchecked");
        reason.GetProperty("message").GetString()!.ShouldContain("guardrail.detector_unavailable");
    }

    [Fact]
    public async Task FailClosedDetector_ThatAnswersBadly_RefusesTheRequest()
    {
        var answer = await DecideWithAsync("ODD answer");

        answer.GetProperty("outcome").GetString().ShouldBe("deny");
        answer.GetProperty("reasons")[0].GetProperty("code").GetString().ShouldBe("guardrail_unchecked");
    }

    [Fact]
    public async Task FailOpenDetector_ThatFails_IsSkipped()
    {
        var answer = await DecideWithAsync("OPENFAIL but harmless");

        answer.GetProperty("outcome").GetString().ShouldBe("allow");
    }

    [Fact]
    public async Task CleanRequest_BothDetectorsAnswerNothing_IsAllowed()
    {
        var answer = await DecideWithAsync("what is the balance");

        answer.GetProperty("outcome").GetString().ShouldBe("allow");
    }
}
