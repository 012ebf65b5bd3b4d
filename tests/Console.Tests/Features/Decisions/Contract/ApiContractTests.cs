using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Warden.Infrastructure.Hosting;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Decisions.Contract;

/// <summary>The published API contract: served without a sign-in, complete, and enough to generate a working client.</summary>
[Collection(AppCollection.Name)]
public sealed partial class ApiContractTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private static readonly string[] AgentOperations =
    [
        "post /connect/token", "post /api/v1/decisions", "get /api/v1/decisions/{id}", "post /api/v1/decisions/{id}/outcome",
        "post /api/v1/decisions/{id}/output", "get /api/v1/agents/me", "put /api/v1/decisions/{id}/preview", "get /api/v1/grants/keys", "post /api/v1/grants/redeem",
        "get /api/v1/containment", "post /api/v1/containment", "post /api/v1/outputs/verify",
    ];

    [Fact]
    public async Task Document_IsServedWithoutASignIn_AndHoldsNoSecret()
    {
        using var anonymous = Client(app, null);

        using var response = await anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken);
        var json = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        json.ShouldNotContain(DemoAccounts.Password);
        json.ShouldNotContain("Warden-Demo-Agent-1");
        json.ShouldNotContain("PRIVATE KEY");
    }

    [Fact]
    public async Task Document_DescribesEveryAgentEndpoint_WithItsBodiesResponsesAndSecurity()
    {
        var document = JsonDocument.Parse(await DocumentAsync()).RootElement;

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Key: $"{op.Name} {path.Name}", Operation: op.Value)))
            .ToDictionary(o => o.Key, o => o.Operation);

        operations.Keys.ShouldBe(AgentOperations, ignoreOrder: true);
        foreach (var (key, operation) in operations)
        {
            operation.GetProperty("operationId").GetString().ShouldNotBeNullOrEmpty(key);
            var success = operation.GetProperty("responses").EnumerateObject().First(r => r.Name.StartsWith('2'));
            if (key != "post /connect/token" || success.Value.TryGetProperty("content", out _))
                success.Value.GetProperty("content").EnumerateObject().Single().Value.GetProperty("schema").ValueKind.ShouldBe(JsonValueKind.Object, key);
            if (key.StartsWith("post", StringComparison.Ordinal))
                operation.GetProperty("requestBody").GetProperty("content").EnumerateObject().Single().Value.GetProperty("schema").GetProperty("$ref").GetString().ShouldNotBeNull(key);
            var secured = !key.EndsWith("/connect/token", StringComparison.Ordinal) && !key.EndsWith("/grants/keys", StringComparison.Ordinal)
                && !key.EndsWith("/outputs/verify", StringComparison.Ordinal);
            operation.TryGetProperty("security", out _).ShouldBe(secured, key);
        }
        operations["post /api/v1/grants/redeem"].GetProperty("security")[0].GetProperty("oauth2")[0].GetString().ShouldBe("grants");
        operations["post /api/v1/containment"].GetProperty("security")[0].GetProperty("oauth2")[0].GetString().ShouldBe("containment");
        operations["get /api/v1/decisions/{id}"].GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ShouldContain("waitSeconds");
        operations["post /api/v1/decisions"].GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ShouldContain("Idempotency-Key");
        var flow = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("oauth2").GetProperty("flows").GetProperty("clientCredentials");
        flow.GetProperty("tokenUrl").GetString().ShouldBe("http://localhost/connect/token");
    }

    [Fact]
    public async Task Document_ListsEveryProblemTypeTheSourcesAnswerWith()
    {
        var document = await DocumentAsync();
        var sources = Directory.EnumerateFiles(RepositoryRoot.Combine("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText);

        var used = sources.SelectMany(text => ProblemCode().Matches(text).Select(m => m.Groups["code"].Value)).Distinct().ToList();

        used.Count.ShouldBeGreaterThan(10, "the scan must see the problem codes");
        used.ShouldAllBe(code => ApiProblemTypes.All.Any(t => t.Code == code), "add new problem codes to ApiProblemTypes");
        ApiProblemTypes.All.ShouldAllBe(type => document.Contains($"\"{type.Uri}\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GeneratedClient_GetsAToken_AsksForADecision_AndReportsItsOutcome()
    {
        var agent = await RegisterAsync(app);
        var generated = await GeneratedClient.FromDocumentAsync(await DocumentAsync());
        using var http = app.CreateClient();
        dynamic api = generated.New(GeneratedClient.ClassName, http);

        dynamic form = generated.New("TokenRequestForm");
        form.Grant_type = "client_credentials";
        form.Client_id = agent.Id;
        form.Client_secret = agent.Secret;
        dynamic token = await api.RequestTokenAsync(form);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)token.Access_token);
        dynamic ask = generated.New("DecisionRequestBody");
        ask.Tool = "crm.read";
        ask.Operation = "read";
        ask.Resource = "crm/accounts/42";
        ask.Justification = "customer asked for their balance";
        dynamic impact = generated.New("DecisionImpactBody");
        impact.Records = 1;
        ask.Impact = impact;
        dynamic decision = await api.RequestDecisionAsync(Guid.NewGuid().ToString(), ask);
        dynamic report = generated.New("OutcomeReportBody");
        report.Grant = decision.Grant.Token;
        report.Status = "succeeded";
        report.Records = 1;
        dynamic recorded = await api.ReportOutcomeAsync((string)decision.Id, report);
        var refused = await Should.ThrowAsync<Exception>(async () => await api.ReportOutcomeAsync((string)decision.Id, report));

        ((string)decision.Outcome).ShouldBe("allow");
        ((string)recorded.DecisionId).ShouldBe((string)decision.Id);
        ((string)recorded.Status).ShouldBe("succeeded");
        ((int)((dynamic)refused).StatusCode).ShouldBe(409);
        ((string)((dynamic)refused).Result.Type).ShouldBe("urn:warden:problem:grant-used");
    }

    private async Task<string> DocumentAsync()
    {
        using var anonymous = Client(app, null);
        return await anonymous.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken);
    }

    // Problem(status, "code", ...) and Unauthorized("code", ...) of ApiProblems: the codes named in the sources.
    [GeneratedRegex("""\b(?:Problem\([^,()]+,|Unauthorized\()\s*"(?<code>[a-z-]+)"\s*,""")]
    private static partial Regex ProblemCode();
}
