namespace Warden.Domain.Policies;

/// <summary>What a rule's <c>require</c> asks a request to carry; the rule applies to requests that lack it.</summary>
public enum PolicyRequirement
{
    /// <summary>The request declares its impact: records touched or an amount (zero counts as declared).</summary>
    Impact,
    /// <summary>The request declares how many records it touches.</summary>
    Records,
    /// <summary>The request declares the amount it moves.</summary>
    Amount,
    /// <summary>The request carries a preview of what it would change (sent by the agent or fetched from the tool).</summary>
    Preview,
}
