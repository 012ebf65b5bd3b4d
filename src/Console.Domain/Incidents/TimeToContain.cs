namespace Warden.Domain.Incidents;

/// <summary>
/// Time-to-contain of one incident, three ways: from detection (the first anomaly or violation) to
/// the trip and to the first refused request, beside the trip-based figure (trip committed → first refusal).
/// </summary>
public sealed record TimeToContain(TimeSpan? DetectionToTrip, TimeSpan? DetectionToFirstRefusal, TimeSpan? TripToFirstRefusal)
{
    public static TimeToContain Of(DateTimeOffset? detectedAt, DateTimeOffset trippedAt, DateTimeOffset? committedAt, DateTimeOffset? firstRefusedAt) => new(
        detectedAt is { } d ? trippedAt - d : null,
        detectedAt is { } d2 && firstRefusedAt is { } f ? f - d2 : null,
        committedAt is { } c && firstRefusedAt is { } f2 ? f2 - c : null);
}
