using Warden.Domain.Agents;
using Warden.Features.Agents;

namespace Warden.Features.Demo;

/// <param name="AutonomyLevel">The level the agent is seeded at (its promotions are not part of the demo's history).</param>
public sealed record DemoAgent(AgentId Id, string OwnerEmail, AgentDraft Draft, int AutonomyLevel = 0);

/// <summary>The agents <c>--demo</c> registers: enough variety that every kind of decision shows up.</summary>
public static class DemoAgents
{
    public static readonly IReadOnlyList<DemoAgent> All =
    [
        new(AgentId.Demo("support"), "owner@warden.example", new AgentDraft
        {
            Name = "Support copilot",
            Purpose = "Drafts answers to customer tickets and looks up their accounts.",
            Segment = "support",
            Tags = ["customer-facing", "eu"],
            Tools =
            [
                new ToolDraft("tickets.read", [OperationKind.Read], RiskTier.Low, null),
                new ToolDraft("tickets.reply", [OperationKind.Write], RiskTier.Low,
                    """{ "type": "object", "required": ["ticketId", "body"], "properties": { "ticketId": { "type": "string" }, "body": { "type": "string", "maxLength": 4000 } } }"""),
                new ToolDraft("crm.read", [OperationKind.Read], RiskTier.Low, null),
                new ToolDraft("tickets.escalate", [OperationKind.Write], RiskTier.Medium, null),
                // The knowledge base the demo's MCP upstream serves through the gateway (DemoUpstream).
                new ToolDraft("kb.read", [OperationKind.Read], RiskTier.Low, null),
                new ToolDraft("kb.write", [OperationKind.Write], RiskTier.Low, null),
            ],
            Scopes = ["helpdesk/tickets/*", "crm/accounts/*", "kb/**"],
            RateLimitPerMinute = 120,
            MaxRecordsPerAction = 50,
            DailyRecordBudget = 5000,
        }),
        new(AgentId.Demo("payments"), "owner2@warden.example", new AgentDraft
        {
            Name = "Payments bot",
            Purpose = "Matches supplier invoices and pays the approved ones.",
            Segment = "finance",
            Tags = ["pci"],
            Tools =
            [
                new ToolDraft("invoices.read", [OperationKind.Read], RiskTier.Low, null),
                new ToolDraft("payments.send", [OperationKind.Execute], RiskTier.Critical,
                    """{ "type": "object", "required": ["invoiceId"], "properties": { "invoiceId": { "type": "string" } } }"""),
            ],
            Scopes = ["erp/invoices/*", "payments/**"],
            RateLimitPerMinute = 60,
            MaxAmountPerAction = 5000m,
            DailyAmountBudget = 20000m,
            Currency = "EUR",
        }),
        new(AgentId.Demo("codereview"), "owner@warden.example", new AgentDraft
        {
            Name = "Code review bot",
            Purpose = "Reviews pull requests and comments on them; merging needs a person.",
            Segment = "engineering",
            Tags = ["internal"],
            Tools =
            [
                new ToolDraft("repo.read", [OperationKind.Read], RiskTier.Low, null),
                new ToolDraft("review.comment", [OperationKind.Write], RiskTier.Low, null),
                new ToolDraft("repo.merge", [OperationKind.Write], RiskTier.High, null),
            ],
            Scopes = ["git/warden/**"],
            RateLimitPerMinute = 60,
        }),
        DemoReviews.Agent,
    ];
}
