namespace Warden.Features.Decisions;

/// <summary>
/// An agent's usage counters when instances share PostgreSQL: requests in <see cref="Minute"/> and the
/// records and amount allowed on <see cref="Day"/> (<see cref="Records"/> -1: not read from the stored
/// decisions yet). One row per agent, changed in place under its row lock.
/// </summary>
public sealed class AgentUsage
{
    public string AgentId { get; set; } = string.Empty;

    public long Minute { get; set; }

    public int Requests { get; set; }

    public DateOnly Day { get; set; }

    public long Records { get; set; }

    public decimal Amount { get; set; }
}
