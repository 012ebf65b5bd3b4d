using System.Net.Http.Json;
using System.Text.Json;
using Warden.Domain;
using Warden.Features.Containment;
using Warden.Features.Decisions;
using Warden.Infrastructure.AgentIdentity;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Decisions.Grants;

/// <summary>A tool as the grant API sees it: an automation client created by an officer, a real secret, a real token.</summary>
internal static class ToolClients
{
    public static async Task<string> TokenAsync(WardenAppFactory app, params string[] scopes)
    {
        var created = await app.AsUserAsync<AutomationClientService, Result<NewAutomationClient>>(
            DemoAccounts.Officer, s => s.CreateAsync("Payments tool", scopes.Length == 0 ? [AutomationClient.GrantsScope] : scopes));
        created.IsSuccess.ShouldBeTrue(created.Error.ToString());
        return await AgentApiClient.TokenAsync(app, created.Value.Id, created.Value.Secret);
    }

    public static Task<HttpResponseMessage> RedeemAsync(HttpClient tool, string? grant, string? digest) =>
        tool.PostAsJsonAsync("/api/v1/grants/redeem", new { grant, digest }, AgentApiClient.Json);

    /// <summary>The digest a tool computes for the call it is about to run, the way the console does.</summary>
    public static string DigestOf(object body) =>
        RequestDigest.Of(JsonSerializer.Deserialize<DecisionRequestBody>(JsonSerializer.Serialize(body, AgentApiClient.Json), AgentApiClient.Json)!);

    public static async Task<string?> ProblemTypeAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        return (await JsonOf(response)).GetProperty("type").GetString();
    }

    public static string GrantOf(JsonElement answer) => answer.GetProperty("grant").GetProperty("token").GetString()!;
}
