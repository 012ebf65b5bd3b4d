namespace Warden.Features.AuditLog;

/// <summary>The filter bar's state; dates are whole UTC days, the "to" day included.</summary>
public sealed class AuditFilter
{
    public string? Subject { get; set; }
    public string? Actor { get; set; }
    public string? KindPrefix { get; set; }
    public DateTime? FromDay { get; set; }
    public DateTime? ToDay { get; set; }

    public AuditQuery ToQuery() => new(
        Subject,
        Actor,
        KindPrefix,
        FromDay is { } from ? new DateTimeOffset(DateTime.SpecifyKind(from.Date, DateTimeKind.Utc)) : null,
        ToDay is { } to ? new DateTimeOffset(DateTime.SpecifyKind(to.Date.AddDays(1), DateTimeKind.Utc)) : null);
}
