namespace Warden.Domain.Decisions;

/// <summary>Why a decision came out as it did: a stable code for machines and a sentence for people.</summary>
public sealed record DecisionReason(string Code, string Message);
