using Microsoft.EntityFrameworkCore;
using Warden.Domain.Agents;
using Warden.Domain.Tools;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Persistence;

namespace Warden.Features.Demo;

/// <summary>
/// The demo's reviews after the fact: a helpdesk assistant at autonomy level 1 closes and tags tickets
/// alone (each close lands in the owner's Reviews queue once it ran) while its refunds wait for an
/// officer; and the support copilot's escalations declare a compensating action, so at level 2 they go alone.
/// </summary>
public static class DemoReviews
{
    public static readonly AgentId Helpdesk = AgentId.Demo("helpdesk");

    public static readonly DemoAgent Agent = new(Helpdesk, "owner@warden.example", new AgentDraft
    {
        Name = "Helpdesk assistant",
        Purpose = "Closes and tags solved tickets; refunds need an officer.",
        Segment = "support",
        Tags = ["customer-facing"],
        Tools =
        [
            new ToolDraft("tickets.read", [OperationKind.Read], RiskTier.Low, null),
            new ToolDraft("tickets.close", [OperationKind.Write], RiskTier.Low, null),
            new ToolDraft("tickets.tag", [OperationKind.Write], RiskTier.Low, null),
            new ToolDraft("refunds.issue", [OperationKind.Execute], RiskTier.Medium, null),
        ],
        Scopes = ["helpdesk/tickets/*", "refunds/*"],
        RateLimitPerMinute = 60,
        MaxRecordsPerAction = 10,
        DailyRecordBudget = 2000,
    }, AutonomyLevel: 1);

    public static readonly (string Agent, string Tool, string Operation, string Resource, object Parameters)[] Scenarios =
    [
        ("helpdesk", "tickets.read", "read", "helpdesk/tickets/{n}", new { }),
        ("helpdesk", "tickets.close", "write", "helpdesk/tickets/{n}", new { resolution = "answered" }),
        ("helpdesk", "tickets.tag", "write", "helpdesk/tickets/{n}", new { tag = "billing" }),
        ("helpdesk", "refunds.issue", "execute", "refunds/{n}", new { ticketId = "{n}" }),
    ];

    /// <summary>
    /// The escalation's undo endpoint: the demo has no helpdesk system, so the address cannot resolve
    /// (<c>.invalid</c>), and a rollback of an escalation is reported as unreachable, as a real outage would be.
    /// </summary>
    public static readonly ToolHook EscalationHook =
        new("tickets.escalate", PreviewSource.None, null, new Uri("https://helpdesk.demo.invalid/escalations/undo"), null);

    /// <summary>Declares the escalation's compensating action once, in the demo seeder's transaction; the event to audit it by, or null.</summary>
    public static async Task<AuditEntry?> SeedAsync(WardenDbContext db, CancellationToken cancellationToken)
    {
        if (await db.ToolHooks.AnyAsync(h => h.Tool == EscalationHook.Tool, cancellationToken))
            return null;
        db.ToolHooks.Add(EscalationHook);
        return DemoHooks.Saved(EscalationHook);
    }
}
