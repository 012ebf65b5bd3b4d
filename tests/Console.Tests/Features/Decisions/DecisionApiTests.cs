using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Features.Agents;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Decisions;

[Collection(AppCollection.Name)]
public sealed class DecisionApiTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    [Fact]
    public async Task Decide_ReadWithinScope_IsAllowedWithASingleUseGrant()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);

        using var response = await DecideAsync(client, Body());
        var answer = await JsonOf(response);
        using var first = await ReportAsync(client, answer.GetProperty("id").GetString()!, answer.GetProperty("grant").GetProperty("token").GetString());
        using var second = await ReportAsync(client, answer.GetProperty("id").GetString()!, answer.GetProperty("grant").GetProperty("token").GetString());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        answer.GetProperty("outcome").GetString().ShouldBe("allow");
        answer.GetProperty("riskTier").GetString().ShouldBe("low");
        answer.GetProperty("policyVersion").GetString().ShouldNotBeNullOrEmpty();
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await ProblemType(second)).ShouldBe("urn:warden:problem:grant-used");
    }

    [Fact]
    public async Task Decide_WriteAtLevelZero_IsPendingWithAnApprovalAndNoGrant()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);

        using var response = await DecideAsync(client, Body("crm.update", "write", parameters: new { accountId = "42" }));
        var answer = await JsonOf(response);

        answer.GetProperty("outcome").GetString().ShouldBe("pending");
        answer.GetProperty("approval").GetProperty("requiredApprovals").GetInt32().ShouldBe(1);
        answer.TryGetProperty("grant", out var grant).ShouldBeTrue();
        grant.ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task Decide_CriticalTool_NeedsTwoApprovers()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);

        using var response = await DecideAsync(client, Body("payments.send", "execute", "payments/out/7", amount: 10m));
        var answer = await JsonOf(response);

        answer.GetProperty("outcome").GetString().ShouldBe("pending");
        answer.GetProperty("approval").GetProperty("requiredApprovals").GetInt32().ShouldBe(2);
    }

    [Theory]
    [InlineData("crm.delete", "delete", "crm/accounts/1", "tool_not_allowed")]
    [InlineData("crm.read", "write", "crm/accounts/1", "operation_not_allowed")]
    [InlineData("crm.read", "read", "hr/salaries/1", "resource_out_of_scope")]
    public async Task Decide_OutsideTheAllowlist_IsDeniedWithTheReason(string tool, string operation, string resource, string code)
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);

        using var response = await DecideAsync(client, Body(tool, operation, resource));
        var answer = await JsonOf(response);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        answer.GetProperty("outcome").GetString().ShouldBe("deny");
        answer.GetProperty("reasons")[0].GetProperty("code").GetString().ShouldBe(code);
        answer.GetProperty("grant").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task Decide_ParametersFailingTheToolSchema_Is400WithTheJsonPath()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);

        using var response = await DecideAsync(client, Body("crm.update", "write", parameters: new { accountId = 12345 }));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ProblemType(response)).ShouldBe("urn:warden:problem:parameters-invalid");
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("accountId");
    }

    [Fact]
    public async Task Decide_ParametersWithSeveralSchemaErrors_ListsEveryOneByJsonPath()
    {
        var agent = await RegisterAsync(app, Draft() with
        {
            Tools = [new ToolDraft("crm.read", [OperationKind.Read], RiskTier.Low,
                """{ "type": "object", "required": ["accountId"], "properties": { "accountId": { "type": "string" }, "limit": { "type": "integer", "maximum": 100 }, "tags": { "type": "array", "items": { "type": "string" } } } }""")],
        });
        using var client = Client(app, agent.Token);

        using var response = await DecideAsync(client, Body(parameters: new { limit = 500, tags = new object[] { "ok", 7 } }));
        var problem = await JsonOf(response);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var paths = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ToList();
        paths.ShouldContain("$");
        paths.ShouldContain("$.limit");
        paths.ShouldContain("$.tags.1");
        problem.GetProperty("errors").EnumerateArray().ShouldAllBe(e => e.GetProperty("message").GetString()!.Length > 0);
    }

    [Fact]
    public async Task Decide_MalformedJson_Is400()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);

        using var response = await client.PostAsync(new Uri("/api/v1/decisions", UriKind.Relative),
            new StringContent("{ \"tool\": ", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ProblemType(response)).ShouldBe("urn:warden:problem:invalid-request");
    }

    [Fact]
    public async Task Decide_WrongContentType_Is415()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);

        using var response = await client.PostAsync(new Uri("/api/v1/decisions", UriKind.Relative),
            new StringContent("tool=crm.read", Encoding.UTF8, "application/x-www-form-urlencoded"), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await ProblemType(response)).ShouldBe("urn:warden:problem:unsupported-media-type");
    }

    [Fact]
    public async Task Decide_OneMegabyteBody_Is413()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        var huge = $"{{\"tool\":\"crm.read\",\"operation\":\"read\",\"resource\":\"crm/accounts/1\",\"justification\":\"{new string('x', 1024 * 1024)}\"}}";

        using var response = await client.PostAsync(new Uri("/api/v1/decisions", UriKind.Relative), new StringContent(huge, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await ProblemType(response)).ShouldBe("urn:warden:problem:request-too-large");
    }

    [Fact]
    public async Task Decide_MissingOperation_Is400NotADecision()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);

        using var response = await DecideAsync(client, new { tool = "crm.read", resource = "crm/accounts/1" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("operation");
    }

    [Theory]
    [InlineData("{\"tool\":\"crm.read\",\"operation\":\"read\",\"resource\":\"crm/accounts/1\",\"impact\":{\"amount\":10}}", "currency")]
    [InlineData("{\"tool\":\"crm.read\",\"operation\":\"read\",\"resource\":\"crm/accounts/1\",\"impact\":{\"currency\":\"EURO\"}}", "currency")]
    [InlineData("{\"tool\":\"crm.read\",\"operation\":\"read\",\"resource\":\"crm/accounts/1\",\"impact\":{\"amount\":1e20,\"currency\":\"EUR\"}}", "amount")]
    [InlineData("{\"tool\":\"crm.read\",\"operation\":\"read\",\"resource\":\"crm/accounts/1\",\"impact\":{\"records\":-1}}", "negative")]
    public async Task Decide_WithImpactOutOfBounds_Is400NotADecision(string body, string mentioned)
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);

        using var response = await client.PostAsync(new Uri("/api/v1/decisions", UriKind.Relative),
            new StringContent(body, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain(mentioned);
    }

    [Fact]
    public async Task Decide_WithoutToken_Is401()
    {
        using var client = Client(app, token: null);

        using var response = await DecideAsync(client, Body());

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Decide_WithAPersonsSessionCookie_Is401_CookiesAreNeverAccepted()
    {
        using var browser = await app.SignInAsync(DemoAccounts.Officer, DemoAccounts.Password);

        using var response = await DecideAsync(browser, Body());

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Decide_WithTamperedSignature_Is401()
    {
        var agent = await RegisterAsync(app);
        var parts = agent.Token.Split('.');
        var signature = parts[2].ToCharArray();
        signature[10] = signature[10] == 'A' ? 'B' : 'A';
        using var client = Client(app, $"{parts[0]}.{parts[1]}.{new string(signature)}");

        using var response = await DecideAsync(client, Body());

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Decide_WithAlgNoneToken_Is401()
    {
        var agent = await RegisterAsync(app);
        var payload = agent.Token.Split('.')[1];
        var header = Base64Url("""{"alg":"none","typ":"at+jwt"}""");
        using var client = Client(app, $"{header}.{payload}.");

        using var response = await DecideAsync(client, Body());

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Decide_WithTokenOfASuspendedAgent_Is401EvenBeforeExpiry()
    {
        var agent = await RegisterAsync(app);
        var suspended = await app.AsUserAsync<AgentRegistryService, Result>(DemoAccounts.Officer, s => s.SuspendAsync(agent.Id, "incident"));
        suspended.IsSuccess.ShouldBeTrue(suspended.Error.ToString());
        using var client = Client(app, agent.Token);

        using var response = await DecideAsync(client, Body());

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ProblemType(response)).ShouldBe("urn:warden:problem:token-refused");
    }

    [Fact]
    public async Task Decide_WithATokenAlreadyUsedBeforeTheAgentWasSuspended_Is401()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        using (var before = await DecideAsync(client, Body()))
            before.StatusCode.ShouldBe(HttpStatusCode.OK);
        var suspended = await app.AsUserAsync<AgentRegistryService, Result>(DemoAccounts.Officer, s => s.SuspendAsync(agent.Id, "incident"));
        suspended.IsSuccess.ShouldBeTrue(suspended.Error.ToString());

        using var after = await DecideAsync(client, Body());

        after.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await ProblemType(after)).ShouldBe("urn:warden:problem:token-refused");
    }

    [Fact]
    public async Task Decide_WithAnAlteredCopyOfATokenAlreadyUsed_Is401()
    {
        var agent = await RegisterAsync(app);
        using (var client = Client(app, agent.Token))
        using (var first = await DecideAsync(client, Body()))
            first.StatusCode.ShouldBe(HttpStatusCode.OK);
        var parts = agent.Token.Split('.');
        var signature = parts[2].ToCharArray();
        signature[10] = signature[10] == 'A' ? 'B' : 'A';
        using var altered = Client(app, $"{parts[0]}.{parts[1]}.{new string(signature)}");

        using var response = await DecideAsync(altered, Body());

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldContain("invalid_token");
    }

    [Fact]
    public async Task Decide_SameIdempotencyKeyAndBody_ReturnsTheSameStoredAnswer()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        var key = Guid.NewGuid().ToString();

        using var first = await DecideAsync(client, Body(), key);
        using var again = await DecideAsync(client, Body(), key);
        var a = await JsonOf(first);
        var b = await JsonOf(again);

        b.GetProperty("id").GetString().ShouldBe(a.GetProperty("id").GetString());
        b.GetProperty("grant").GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(a.GetProperty("grant").GetProperty("expiresAt").GetDateTimeOffset());
        // ES256 signatures are randomised: the replayed grant is a new signature over the same claims.
        GrantPayload(b).ShouldBe(GrantPayload(a));
    }

    private static string GrantPayload(System.Text.Json.JsonElement answer) =>
        answer.GetProperty("grant").GetProperty("token").GetString()!.Split('.')[1];

    [Fact]
    public async Task Decide_SameIdempotencyKeyOtherBody_Is409()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        var key = Guid.NewGuid().ToString();

        using var first = await DecideAsync(client, Body(resource: "crm/accounts/1"), key);
        using var other = await DecideAsync(client, Body(resource: "crm/accounts/2"), key);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        other.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await ProblemType(other)).ShouldBe("urn:warden:problem:idempotency-conflict");
    }

    [Fact]
    public async Task ReportOutcome_WithTheGrantOfAnotherDecision_IsRefused()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        var one = await JsonOf(await DecideAsync(client, Body(resource: "crm/accounts/1")));
        var two = await JsonOf(await DecideAsync(client, Body(resource: "crm/accounts/2")));

        using var response = await ReportAsync(client, two.GetProperty("id").GetString()!, one.GetProperty("grant").GetProperty("token").GetString());

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await ProblemType(response)).ShouldBe("urn:warden:problem:grant-invalid");
    }

    [Fact]
    public async Task Decide_OverTheRateLimit_Is429WithRetryAfter()
    {
        var agent = await RegisterAsync(app, Draft(rateLimit: 2));
        using var client = Client(app, agent.Token);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 3 && limited is null; i++)
        {
            var response = await DecideAsync(client, Body(resource: $"crm/accounts/{i}"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                limited = response;
        }

        limited.ShouldNotBeNull(string.Join(",", statuses));
        limited.Headers.RetryAfter.ShouldNotBeNull();
        (await JsonOf(limited)).GetProperty("reasons")[0].GetProperty("code").GetString().ShouldBe("rate_limited");
    }

    [Fact]
    public async Task GetDecision_OfAnotherAgent_Is404()
    {
        var mine = await RegisterAsync(app);
        var theirs = await RegisterAsync(app);
        using var theirClient = Client(app, theirs.Token);
        var decision = await JsonOf(await DecideAsync(theirClient, Body()));
        using var client = Client(app, mine.Token);

        using var response = await client.GetAsync(new Uri($"/api/v1/decisions/{decision.GetProperty("id").GetString()}", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GetDecision_PendingWithWait_ReturnsStillPendingAfterTheWait()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        var pending = await JsonOf(await DecideAsync(client, Body("crm.update", "write", parameters: new { accountId = "7" })));

        using var response = await client.GetAsync(new Uri($"/api/v1/decisions/{pending.GetProperty("id").GetString()}?waitSeconds=1", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await JsonOf(response)).GetProperty("state").GetString().ShouldBe("pending");
    }

    [Fact]
    public async Task AgentsMe_ReturnsTheCallingAgentsProfile()
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);

        using var response = await client.GetAsync(new Uri("/api/v1/agents/me", UriKind.Relative), TestContext.Current.CancellationToken);
        var me = await JsonOf(response);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        me.GetProperty("id").GetString().ShouldBe(agent.Id);
        me.GetProperty("autonomyLevel").GetInt32().ShouldBe(0);
        me.GetProperty("contained").GetBoolean().ShouldBeFalse();
    }

    private static async Task<string?> ProblemType(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        return (await JsonOf(response)).GetProperty("type").GetString();
    }

    private static string Base64Url(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
