using Warden.Features.Demo;
using Warden.Infrastructure.Identity;

namespace Warden.Infrastructure.Hosting;

internal static class StartupBanner
{
    public static void PrintDemo(string url, DemoOptions demo)
    {
        var lines = new List<string> { string.Empty, $"Warden demo is serving {url}", $"Sign in with any of these (password: {demo.Password}):" };
        lines.AddRange(DemoPeople.All.Select(p => $"  {p.Email,-26} {p.Role}"));
        lines.Add($"Second factor: authenticator key {demo.AuthenticatorKey} (demo only); the sign-in page shows the current code.");
        lines.Add($"Demo agents (client secret: {demo.AgentSecret}; token endpoint {url}/connect/token):");
        lines.AddRange(DemoAgents.All.Select(a => $"  {a.Id,-26} {a.Draft.Name}, owned by {a.OwnerEmail}"));
        lines.Add($"MCP gateway: {url}/mcp (bearer: an agent's access token); the support agent reaches the demo knowledge base there.");
        lines.Add(string.Empty);
        Console.Out.WriteLine(string.Join(Environment.NewLine, lines));
    }

    public static void PrintFirstRun(string url, string token) =>
        Console.Out.WriteLine(
            $"{Environment.NewLine}No administrator exists yet. Create the first one (this link works once, until restart):" +
            $"{Environment.NewLine}  {url}/setup?token={token}{Environment.NewLine}");
}
