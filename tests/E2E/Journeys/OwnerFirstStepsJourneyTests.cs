using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Warden.E2E.Browsing;
using Warden.E2E.Hosting;

namespace Warden.E2E.Journeys;

[Collection(ConsoleCollection.Name)]
public sealed partial class OwnerFirstStepsJourneyTests(ConsoleFixture console)
{
    private const string Owner = "owner@warden.example";

    [GeneratedRegex(@"/agents/(?!new$)(?<id>[^/?#]+)$")]
    private static partial Regex AgentUrl();

    [Fact]
    public async Task AnOwner_RegistersAnAgent_GetsItsCredentials_AndTheSnippetsWork()
    {
        var name = $"E2E First Steps {Guid.NewGuid().ToString("N")[..8]}";
        var page = await console.OpenPageAsync();
        await page.SignInAsync(Owner);

        await page.GotoAsync("/agents/new");
        await page.GetByTestId("agent-form").WaitForAsync();
        // Choosing first also waits for the interactive circuit, so what is typed next is not lost to it.
        await page.ChooseAsync("tool-operations-0", "Read");
        await page.MudInput("agent-name").FillAsync(name);
        await page.MudInput("agent-purpose").FillAsync("Matches supplier invoices to purchase orders.");
        await page.MudInput("agent-segment").FillAsync("finance-eu");
        await page.MudInput("tool-name-0").FillAsync("erp.invoices.read");
        await page.MudInput("agent-scopes").FillAsync("erp/invoices/*");
        // A dropdown opened and closed with Escape after typing the scopes must not lose them.
        await page.ChooseAsync("tool-operations-0", "Write");
        await page.SaveScreenshotAsync("first-steps-1-form");
        await page.GetByTestId("agent-form-submit").ClickAsync();

        await page.WaitForURLAsync(AgentUrl());
        var id = AgentUrl().Match(new Uri(page.Url).AbsolutePath).Groups["id"].Value;
        await page.GetByTestId("agent-scopes").GetByText("erp/invoices/*").WaitForAsync();
        await page.GetByTestId("credentials-next-step").WaitForAsync();
        (await page.GetByTestId("revoke-credentials").CountAsync()).ShouldBe(0);
        await page.SaveScreenshotAsync("first-steps-2-registered");

        await page.GetByTestId("get-credentials").ClickUntilVisibleAsync(page.GetByTestId("new-secret-value"));
        var clientId = await page.MudInput("new-secret-client-id").InputValueAsync();
        var secret = await page.MudInput("new-secret-value").InputValueAsync();
        clientId.ShouldBe(id);
        secret.ShouldNotBeNullOrWhiteSpace();
        var http = await page.GetByTestId("snippet-http").InnerTextAsync();
        http.ShouldContain($"client_id={id}");
        http.ShouldContain($"client_secret='{secret}'");
        http.ShouldContain("\"tool\":\"erp.invoices.read\",\"operation\":\"read\",\"resource\":\"erp/invoices/example\"");
        await page.SaveScreenshotAsync("first-steps-3-secret-http");
        await page.GetByRole(AriaRole.Tab, new() { Name = ".NET client (Warden.Client)" }).ClickAsync();
        (await page.GetByTestId("snippet-dotnet").InnerTextAsync()).ShouldContain($"o.ClientId = \"{id}\";");
        await page.GetByRole(AriaRole.Tab, new() { Name = "MCP gateway" }).ClickAsync();
        (await page.GetByTestId("snippet-mcp").InnerTextAsync()).ShouldContain($"{console.Server.BaseAddress.ToString().TrimEnd('/')}/mcp");
        await page.SaveScreenshotAsync("first-steps-4-secret-mcp");

        var answer = await AskAsTheNewAgentAsync(clientId, secret);
        answer.GetProperty("outcome").GetString().ShouldBe("allow");

        await page.GetByTestId("secret-done").ClickAsync();
        await page.GetByTestId("secret-status").Filter(new() { HasText = "Active" }).WaitForAsync();
        await page.GetByTestId("credentials-next-step").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await page.GetByTestId("revoke-credentials").WaitForAsync();
        await page.SaveScreenshotAsync("first-steps-5-credentials-active");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AnOwner_OnAPageTheirRolesDoNotAllow_StaysInTheConsoleWithNavigationAndSignOut()
    {
        var page = await console.OpenPageAsync();
        await page.SignInAsync(Owner);

        await page.GotoAsync("/approvals");

        await page.WaitForURLAsync(url => url.Contains("/Account/AccessDenied", StringComparison.Ordinal));
        await page.GetByTestId("access-refused").WaitForAsync();
        await page.GetByTestId("nav-agents").WaitForAsync();
        await page.GetByTestId("sign-out").WaitForAsync();
        await page.SaveScreenshotAsync("access-denied");
        await page.Context.CloseAsync();
    }

    /// <summary>What the raw-HTTP snippet does: a client-credentials token, then a decision on the declared tool and scope.</summary>
    private async Task<JsonElement> AskAsTheNewAgentAsync(string clientId, string secret)
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = console.Server.BaseAddress };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        });
        using var token = await http.PostAsync(new Uri("/connect/token", UriKind.Relative), form, ct);
        token.EnsureSuccessStatusCode();
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("access_token").GetString();
        using var ask = new HttpRequestMessage(HttpMethod.Post, "/api/v1/decisions")
        {
            Content = JsonContent.Create(new { tool = "erp.invoices.read", operation = "read", resource = "erp/invoices/example", parameters = new { } }),
        };
        ask.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        ask.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await http.SendAsync(ask, ct);
        return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }
}
