using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Warden.LoadBench;

/// <summary>
/// One kind of request under load. <see cref="Classify"/> names the answer for the outcome mix
/// (status code, and for decisions the outcome and first reason code); anything outside
/// <see cref="Expected"/> counts as an error.
/// </summary>
public abstract class Scenario(string name, params HttpStatusCode[] expected)
{
    public string Name { get; } = name;

    public IReadOnlySet<HttpStatusCode> Expected { get; } = expected.ToHashSet();

    public abstract HttpRequestMessage Create(long sequence);

    public virtual string Classify(HttpStatusCode status, ReadOnlySpan<byte> body) =>
        ((int)status).ToString(CultureInfo.InvariantCulture);
}

/// <summary><c>GET /favicon.png</c>: a static file, the cheapest answer the app gives.</summary>
public sealed class StaticFileScenario() : Scenario("GET /favicon.png", HttpStatusCode.OK)
{
    private static readonly Uri Path = new("/favicon.png", UriKind.Relative);

    public override HttpRequestMessage Create(long sequence) => new(HttpMethod.Get, Path);
}

/// <summary><c>GET /api/v1/agents/me</c>: bearer token validation, the token gate and one row read.</summary>
public sealed class AgentSelfScenario(IReadOnlyList<string> tokens) : Scenario("GET /api/v1/agents/me", HttpStatusCode.OK)
{
    private static readonly Uri Path = new("/api/v1/agents/me", UriKind.Relative);

    public override HttpRequestMessage Create(long sequence)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[(int)(sequence % tokens.Count)]);
        return request;
    }
}

/// <summary>
/// <c>POST /api/v1/decisions</c>: read requests each demo agent's tools and scopes allow, round-robin
/// over the agents. Past an agent's per-minute rate limit the engine answers 429 rate_limited; that
/// answer is a decision too and is recorded durably like an allow.
/// </summary>
public sealed class DecisionScenario : Scenario
{
    private static readonly Uri Path = new("/api/v1/decisions", UriKind.Relative);
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly byte[] OutcomeProperty = "\"outcome\":\""u8.ToArray();
    private static readonly byte[] CodeProperty = "\"code\":\""u8.ToArray();

    private readonly IReadOnlyList<(string Token, string Tool, string Resource)> _agents;

    public DecisionScenario(IReadOnlyDictionary<string, string> tokens)
        : base("POST /api/v1/decisions", HttpStatusCode.OK, HttpStatusCode.TooManyRequests)
    {
        _agents =
        [
            (tokens["agt_demo_support"], "tickets.read", "helpdesk/tickets/{0}"),
            (tokens["agt_demo_payments"], "invoices.read", "erp/invoices/INV-{0}"),
            (tokens["agt_demo_codereview"], "repo.read", "git/warden/pulls/{0}"),
        ];
    }

    public override HttpRequestMessage Create(long sequence)
    {
        var (token, tool, resource) = _agents[(int)(sequence % _agents.Count)];
        var target = string.Format(CultureInfo.InvariantCulture, resource, sequence);
        var body = "{\"tool\":\"" + tool + "\",\"operation\":\"read\",\"resource\":\"" + target
            + "\",\"parameters\":{},\"impact\":{\"records\":1}}";
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = Json;
        var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    public override string Classify(HttpStatusCode status, ReadOnlySpan<byte> body) => Describe(status, body);

    /// <summary>The status code, and for a decision its outcome and first reason code.</summary>
    public static string Describe(HttpStatusCode status, ReadOnlySpan<byte> body)
    {
        var outcome = ValueAfter(body, OutcomeProperty);
        var code = ValueAfter(body, CodeProperty);
        return outcome is null
            ? ((int)status).ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{(int)status} {outcome}{(code is null ? "" : " (" + code + ")")}");
    }

    private static string? ValueAfter(ReadOnlySpan<byte> body, ReadOnlySpan<byte> property)
    {
        var at = body.IndexOf(property);
        if (at < 0)
            return null;
        var rest = body[(at + property.Length)..];
        var end = rest.IndexOf((byte)'"');
        return end < 0 ? null : Encoding.UTF8.GetString(rest[..end]);
    }
}

/// <summary>
/// <c>POST /api/v1/decisions</c> in a stated mix, round-robin over agents whose limits do not refuse
/// the load (<see cref="BenchAgents"/>): of every 50 requests, 45 reads of an account in scope
/// (allowed, with a grant), 4 deletes of production records (in scope, denied by the default policy's
/// <c>deny-prod-deletes</c>) and 1 change to an account (held for an officer at autonomy level 0).
/// Every one is a durable decision with its audit event. The denies are policy refusals, not scope
/// violations: at this rate a violation a second would trip the violation breaker within a second and
/// contain the agent, as it should, and the rest of the run would measure refusals of a contained agent.
/// </summary>
public sealed class MixedDecisionScenario(IReadOnlyList<string> tokens)
    : Scenario("POST /api/v1/decisions (mix)", HttpStatusCode.OK)
{
    public const int AllowShare = 45;
    public const int DenyShare = 4;
    public const int HoldShare = 1;
    private const int Cycle = AllowShare + DenyShare + HoldShare;

    private static readonly Uri Path = new("/api/v1/decisions", UriKind.Relative);
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly byte[] GrantProperty = "\"grant\":{"u8.ToArray();

    public override HttpRequestMessage Create(long sequence)
    {
        var token = tokens[(int)(sequence % tokens.Count)];
        var slot = (int)(sequence % Cycle);
        var body = slot < AllowShare
            ? Body(BenchAgents.ReadTool, "read", $"crm/accounts/{sequence}")
            : slot < AllowShare + DenyShare
                ? Body(BenchAgents.DeleteTool, "delete", $"prod/records/{sequence}")
                : Body(BenchAgents.ChangeTool, "write", $"crm/accounts/{sequence}");
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = Json;
        var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static string Body(string tool, string operation, string resource) =>
        "{\"tool\":\"" + tool + "\",\"operation\":\"" + operation + "\",\"resource\":\"" + resource
        + "\",\"parameters\":{\"note\":\"load\"},\"impact\":{\"records\":1}}";

    public override string Classify(HttpStatusCode status, ReadOnlySpan<byte> body)
    {
        var key = DecisionScenario.Describe(status, body);
        return body.IndexOf(GrantProperty) >= 0 ? key + " with grant" : key;
    }
}
