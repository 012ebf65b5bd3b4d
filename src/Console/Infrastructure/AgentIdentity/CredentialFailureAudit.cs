using Warden.Domain.Audit;
using Warden.Features.AuditLog;

namespace Warden.Infrastructure.AgentIdentity;

/// <summary>
/// Writes each refused credential (an agent's token request, a person's sign-in) to the audit chain.
/// The refusal stands whether or not the event could be written; a write that fails is logged.
/// </summary>
public sealed partial class CredentialFailureAudit(AuditWriter audit, CredentialMetrics metrics, ILogger<CredentialFailureAudit> logger)
{
    private const int MaxSubject = 100;

    public CredentialMetrics Metrics => metrics;

    public async Task RecordAsync(AuditActor actor, string kind, string? subject, object data)
    {
        var entry = AuditEntry.Of(actor, kind, Truncate(subject), data);
        try
        {
            await audit.CommitAsync(new AuditAddition(null, [entry]));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogNotRecorded(logger, kind, ex);
        }
    }

    public static string Truncate(string? value) =>
        string.IsNullOrEmpty(value) ? "(none)" : value.Length <= MaxSubject ? value : value[..MaxSubject];

    [LoggerMessage(Level = LogLevel.Error, Message = "A refused credential ({Kind}) could not be written to the audit log.")]
    private static partial void LogNotRecorded(ILogger logger, string kind, Exception exception);
}
