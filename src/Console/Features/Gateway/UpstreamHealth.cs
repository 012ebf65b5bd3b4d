namespace Warden.Features.Gateway;

public enum UpstreamState
{
    NotStarted,
    Connected,
    Unavailable,
}

/// <summary>What this instance knows of an upstream: whether it answers, when it last did, and its last error.</summary>
public sealed record UpstreamHealth(
    UpstreamState State,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? LastErrorAt,
    string? LastError,
    long Forwarded,
    long Failed)
{
    public static readonly UpstreamHealth NotStarted = new(UpstreamState.NotStarted, null, null, null, 0, 0);
}
