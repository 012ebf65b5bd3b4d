namespace Warden.Features.AuditLog;

/// <summary>
/// Masks an event's data before it joins the chain, so no audit event keeps the personal data or
/// secrets an agent sent. The guardrails feature provides it: the audit log, which every feature
/// writes to, uses none of them.
/// </summary>
public interface IAuditMasking
{
    /// <summary>The JSON document with its values and names masked; text that is not JSON comes back masked, as a JSON string.</summary>
    string Json(string? json);
}
