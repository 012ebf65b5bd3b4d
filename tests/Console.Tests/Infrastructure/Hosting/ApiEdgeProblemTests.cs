using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.Hosting;

/// <summary>What a client gets for a request the API cannot take: always a problem document, never an empty answer, a 500 or an HTML page.</summary>
[Collection(AppCollection.Name)]
public sealed class ApiEdgeProblemTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private const string ValidDecision =
        """{"tool":"crm.read","operation":"read","resource":"crm/accounts/42","parameters":{"note":"NOTE"},"impact":{"records":1},"justification":"customer asked"}""";

    [Theory]
    [InlineData("GET", "/api/v1/no-such-thing", 404)]
    [InlineData("GET", "/connect/no-such-thing", 404)]
    [InlineData("DELETE", "/api/v1/decisions", 405)]
    [InlineData("PUT", "/api/v1/agents/me", 405)]
    [InlineData("GET", "/api/v1/containment", 401)]
    public async Task FrameworkStatus_OnTheApi_IsAProblemDocument(string method, string path, int status)
    {
        using var client = app.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), TestContext.Current.CancellationToken);

        await ShouldBeProblemAsync(response, status);
    }

    [Fact]
    public async Task OverlongUrl_OnTheApi_Is414Problem()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/api/v1/decisions/x?pad=" + new string('a', 9000), TestContext.Current.CancellationToken);

        await ShouldBeProblemAsync(response, 414);
    }

    [Fact]
    public async Task AgentToken_OnTheContainmentApi_Is403Problem()
    {
        var agent = await AgentApiClient.RegisterAsync(app);
        using var client = AgentApiClient.Client(app, agent.Token);

        using var response = await client.GetAsync("/api/v1/containment", TestContext.Current.CancellationToken);

        var problem = await ShouldBeProblemAsync(response, 403);
        problem.GetProperty("type").GetString().ShouldBe("urn:warden:problem:forbidden");
    }

    [Fact]
    public async Task WaitSecondsThatIsNotANumber_Is400ProblemNamingIt()
    {
        var agent = await AgentApiClient.RegisterAsync(app);
        using var client = AgentApiClient.Client(app, agent.Token);

        using var response = await client.GetAsync("/api/v1/decisions/some-id?waitSeconds=abc", TestContext.Current.CancellationToken);

        var problem = await ShouldBeProblemAsync(response, 400);
        problem.GetProperty("detail").GetString()!.ShouldContain("waitSeconds");
    }

    [Theory]
    [InlineData("lone high surrogate", "\\ud800", "surrogate")]
    [InlineData("lone low surrogate", "\\udc00", "surrogate")]
    [InlineData("reversed pair", "\\udc00\\ud800", "surrogate")]
    public async Task LoneSurrogateEscape_InParameters_Is400ProblemWithTheReason(string _, string escape, string reason)
    {
        var body = Encoding.UTF8.GetBytes(ValidDecision.Replace("NOTE", escape, StringComparison.Ordinal));

        var problem = await PostDecisionAsync(body);

        problem.GetProperty("detail").GetString()!.ShouldContain(reason);
    }

    [Fact]
    public async Task InvalidUtf8_InParameters_Is400ProblemWithTheReason()
    {
        var body = Encoding.UTF8.GetBytes(ValidDecision).ToList();
        var at = body.IndexOf((byte)'N');
        body.InsertRange(at, [0xC3, 0x28, 0xFF]);

        var problem = await PostDecisionAsync([.. body]);

        problem.GetProperty("detail").GetString()!.ShouldContain("UTF-8");
    }

    [Theory]
    [InlineData("""{"tool":"crm.read","tool":"payments.send",""")]
    [InlineData("""{"tool":"crm.read","Tool":"payments.send",""")]
    [InlineData("""{"tool":"crm.read","TOOL":"payments.send",""")]
    public async Task DuplicateOrCaseVariantKey_Is400ProblemNotLastWins(string start)
    {
        var body = Encoding.UTF8.GetBytes(start + ValidDecision[1..].Replace("\"tool\":\"crm.read\",", string.Empty, StringComparison.Ordinal));

        var problem = await PostDecisionAsync(body);

        problem.GetProperty("detail").GetString()!.ShouldContain("appears twice");
    }

    [Fact]
    public async Task DuplicateKey_InNestedParameters_Is400Problem()
    {
        var body = Encoding.UTF8.GetBytes(ValidDecision.Replace("\"note\":\"NOTE\"", "\"amount\":1,\"Amount\":100000", StringComparison.Ordinal));

        var problem = await PostDecisionAsync(body);

        problem.GetProperty("detail").GetString()!.ShouldContain("appears twice");
    }

    [Fact]
    public async Task ValidSurrogatePairAndPlainText_AreStillAccepted()
    {
        var agent = await AgentApiClient.RegisterAsync(app);
        using var client = AgentApiClient.Client(app, agent.Token);
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(ValidDecision.Replace("NOTE", "\\ud83d\\ude00 ok", StringComparison.Ordinal)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync("/api/v1/decisions", content, TestContext.Current.CancellationToken);

        ((int)response.StatusCode).ShouldBeLessThan(300, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private async Task<JsonElement> PostDecisionAsync(byte[] body)
    {
        var agent = await AgentApiClient.RegisterAsync(app);
        using var client = AgentApiClient.Client(app, agent.Token);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync("/api/v1/decisions", content, TestContext.Current.CancellationToken);

        return await ShouldBeProblemAsync(response, 400);
    }

    internal static async Task<JsonElement> ShouldBeProblemAsync(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        ((int)response.StatusCode).ShouldBe(status, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", text);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        problem.GetProperty("status").GetInt32().ShouldBe(status);
        problem.GetProperty("type").GetString()!.ShouldStartWith("urn:warden:problem:");
        return problem;
    }
}
