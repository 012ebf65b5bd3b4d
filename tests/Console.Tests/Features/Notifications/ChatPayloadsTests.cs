using Warden.Features.Notifications;

namespace Warden.Tests.Features.Notifications;

public sealed class ChatPayloadsTests
{
    [Fact]
    public void Slack_WithARelativeLink_HasNoButtonButNamesThePath()
    {
        var payload = ChatPayloads.Slack("Kill switch tripped: crm-bot", "Reason: burst", "/containment");

        var blocks = payload["blocks"]!.AsArray();
        blocks.ShouldNotContain(b => (string?)b!["type"] == "actions");
        payload.ToJsonString().ShouldContain("In Warden: /containment");
    }

    [Fact]
    public void Slack_EscapesTheCharactersMrkdwnReadsAsMarkup()
    {
        var payload = ChatPayloads.Slack("t", "Reason: <script> & more", "https://w.example/x");

        var section = payload["blocks"]!.AsArray().Single(b => (string?)b!["type"] == "section")!;
        ((string?)section["text"]!["text"]).ShouldBe("Reason: &lt;script&gt; &amp; more");
    }

    [Fact]
    public void Teams_TurnsEachFactLineIntoAFact()
    {
        var payload = ChatPayloads.Teams("Approval waiting", "Agent: crm-bot\nRisk: high", "https://w.example/approvals/1");

        var card = payload["attachments"]![0]!["content"]!;
        var facts = card["body"]![1]!["facts"]!.AsArray();
        facts.Select(f => (string?)f!["title"]).ShouldBe(["Agent", "Risk"]);
        facts.Select(f => (string?)f!["value"]).ShouldBe(["crm-bot", "high"]);
    }
}
