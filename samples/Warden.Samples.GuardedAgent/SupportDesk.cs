using System.Collections.Concurrent;

namespace Warden.Samples.GuardedAgent;

/// <summary>
/// The helpdesk the support agent works on, in memory: what its tools really do. Every action leaves
/// a trace here, so what ran (and what did not) can be checked, not only what the model was told.
/// </summary>
public sealed class SupportDesk
{
    private readonly ConcurrentDictionary<string, string> _tickets = new(StringComparer.Ordinal);

    public SupportDesk(IReadOnlyDictionary<string, string>? tickets = null)
    {
        foreach (var (id, text) in tickets ?? new Dictionary<string, string>())
            _tickets[id] = text;
    }

    public ConcurrentQueue<string> Reads { get; } = new();

    public ConcurrentQueue<(string TicketId, string Body)> Replies { get; } = new();

    public ConcurrentQueue<string> Deleted { get; } = new();

    public string ReadTicket(string ticketId)
    {
        Reads.Enqueue(ticketId);
        return _tickets.TryGetValue(ticketId, out var text)
            ? $"Ticket {ticketId}: {text}"
            : $"Ticket {ticketId}: \"My invoice shows the wrong address.\" (open, customer waiting 2 days)";
    }

    public string ReplyToTicket(string ticketId, string body)
    {
        Replies.Enqueue((ticketId, body));
        return $"Reply sent on ticket {ticketId}.";
    }

    public string DeleteTicket(string ticketId)
    {
        Deleted.Enqueue(ticketId);
        _tickets.TryRemove(ticketId, out _);
        return $"Ticket {ticketId} deleted.";
    }
}
