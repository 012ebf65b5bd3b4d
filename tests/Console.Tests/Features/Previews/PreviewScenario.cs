using Warden.Tests.Features.Approvals;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Previews;

/// <summary>A level-0 write held for one approval, sent with a preview by a real agent through the API.</summary>
internal static class PreviewScenario
{
    public static async Task<(HeldRequest Held, string Digest)> HoldAsync(WardenAppFactory app, object preview)
    {
        var agent = await RegisterAsync(app);
        using var client = Client(app, agent.Token);
        var answer = await JsonOf(await DecideAsync(client, new
        {
            tool = "crm.update",
            operation = "write",
            resource = "crm/accounts/42",
            parameters = new { accountId = "42" },
            impact = new { records = 1 },
            preview,
        }));
        answer.GetProperty("outcome").GetString().ShouldBe("pending", answer.ToString());
        return (new HeldRequest(agent, answer.GetProperty("id").GetString()!, answer.GetProperty("approval").GetProperty("id").GetString()!),
                answer.GetProperty("previewDigest").GetString()!);
    }
}
