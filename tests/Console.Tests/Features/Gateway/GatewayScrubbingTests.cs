using System.Net;
using System.Net.Http.Json;
using ModelContextProtocol.Protocol;
using Warden.Domain.Agents;
using Warden.Features.Agents;
using Warden.Features.Decisions.Provenance;
using Warden.Features.Gateway;
using Warden.Tests.Features.Agents;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Gateway;

/// <summary>
/// An upstream answers with personal data in its text and its structured content alike: the agent
/// behind the gateway receives both masked, with the provenance of what it received.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class GatewayScrubbingTests(GatewayApp app) : IClassFixture<GatewayApp>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CallTool_ResultWithPersonalData_ReachesTheAgentMaskedInTextAndStructuredContent()
    {
        await app.RegisterAsync("customers", ["node", RepositoryRoot.Combine("tests", "mcp-upstream", "customer-record.mjs")],
            new MappingDraft("customer-record", null, "crm.customer", "read", "customers/{id}", null));
        var agent = await AgentApiClient.RegisterAsync(app, AgentDraftBuilder.Valid() with
        {
            Tools = [new ToolDraft("crm.customer", [OperationKind.Read], RiskTier.Low, null)],
            Scopes = ["customers/**"],
        });
        await using var client = await app.ConnectAsync(agent.Token, Cancel);

        var result = await client.CallToolAsync("customer-record", new Dictionary<string, object?> { ["id"] = "7" }, cancellationToken: Cancel);

        var text = string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));
        result.IsError.ShouldNotBe(true, text);
        text.ShouldStartWith("Customer 7: [email:");
        OutputScrubbingTests.AssertClean(text);
        var structured = result.StructuredContent.ShouldNotBeNull().ToString();
        OutputScrubbingTests.AssertClean(structured);
        structured.ShouldContain("Customer 7");
        var meta = result.Meta.ShouldNotBeNull();
        var provenance = meta["warden/provenance"]!.GetValue<string>();
        using var recipient = new HttpClient { BaseAddress = app.BaseAddress };
        using var check = await recipient.PostAsJsonAsync(ProvenanceEndpoints.VerifyPath,
            new { provenance, digest = meta["warden/digest"]!.GetValue<string>() }, AgentApiClient.Json, Cancel);
        check.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AgentApiClient.JsonOf(check)).GetProperty("reason").GetString().ShouldBe("valid");
    }
}
