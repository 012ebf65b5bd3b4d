namespace Warden.Client;

public enum WardenOutcomeStatus
{
    Succeeded,
    Failed,
    RolledBack,
}

/// <summary>What happened after an allowed action: the body of <c>POST /api/v1/decisions/{id}/outcome</c>.</summary>
public sealed record WardenOutcomeReport(string Grant, WardenOutcomeStatus Status)
{
    public int? Records { get; init; }

    public decimal? Amount { get; init; }

    public string? Detail { get; init; }
}

/// <summary>Warden's receipt for an outcome report.</summary>
public sealed record WardenOutcomeReceipt(string DecisionId, string Status, DateTimeOffset RecordedAt);
