using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Warden.Client;
using Warden.Client.AI;

namespace Warden.Samples.GuardedAgent;

/// <summary>
/// The demo support agent as a Microsoft Agent Framework agent whose every tool is guarded by Warden:
/// each function is mapped to the Warden tool, operation and resource it stands for.
/// </summary>
public static class GuardedSupportAgent
{
    public const string ReadTicket = "read_ticket";
    public const string ReplyToTicket = "reply_to_ticket";
    public const string DeleteTicket = "delete_ticket";

    public static readonly IReadOnlyDictionary<string, WardenToolMapping> Mappings = new Dictionary<string, WardenToolMapping>
    {
        [ReadTicket] = new("tickets.read", "read", "helpdesk/tickets/{ticketId}"),
        [ReplyToTicket] = new("tickets.reply", "write", "helpdesk/tickets/{ticketId}"),
        [DeleteTicket] = new("tickets.delete", "delete", "helpdesk/tickets/{ticketId}"),
    };

    public static IList<AITool> Tools(SupportDesk desk, WardenClient warden, WardenGuardOptions options) =>
        new WardenToolGuard(warden, options).GuardAll(
        [
            AIFunctionFactory.Create((string ticketId) => desk.ReadTicket(ticketId), ReadTicket, "Reads a helpdesk ticket."),
            AIFunctionFactory.Create((string ticketId, string body) => desk.ReplyToTicket(ticketId, body), ReplyToTicket, "Replies to the customer on a ticket."),
            AIFunctionFactory.Create((string ticketId) => desk.DeleteTicket(ticketId), DeleteTicket, "Deletes a ticket."),
        ], Mappings);

    public static AIAgent Create(IChatClient model, SupportDesk desk, WardenClient warden, WardenGuardOptions options) =>
        new ChatClientAgent(model,
            instructions: "You are the support copilot. Use the tools to handle the customer's ticket.",
            name: "support-copilot",
            tools: Tools(desk, warden, options));

    /// <summary>The sample's script: read a ticket (allowed), reply to it (held for an officer), delete it (denied).</summary>
    public static IReadOnlyList<ScriptedCall> Script(string ticketId) =>
    [
        new(ReadTicket, new Dictionary<string, object?> { ["ticketId"] = ticketId }),
        new(ReplyToTicket, new Dictionary<string, object?> { ["ticketId"] = ticketId, ["body"] = "Thanks, we have corrected the address on your invoice." }),
        new(DeleteTicket, new Dictionary<string, object?> { ["ticketId"] = ticketId }),
    ];
}
