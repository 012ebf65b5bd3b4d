using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Warden.Features.Gateway;

/// <summary>
/// One upstream's connection on this instance: the client (a started process or an HTTP session),
/// its tools as last listed, and its health. The lock serialises connecting, not calls.
/// </summary>
internal sealed class UpstreamLink(string upstreamId, string fingerprint)
{
    private readonly Lock _health = new();
    private UpstreamHealth _state = UpstreamHealth.NotStarted;

    public string UpstreamId { get; } = upstreamId;

    /// <summary>The connection settings this link was made for; a change makes a new link.</summary>
    public string Fingerprint { get; } = fingerprint;

    public SemaphoreSlim Connecting { get; } = new(1, 1);

    public McpClient? Client { get; set; }

    public IList<Tool>? Tools { get; set; }

    public DateTimeOffset ToolsAt { get; set; }

    private readonly Queue<string> _standardError = new();

    /// <summary>What the upstream process last wrote to stderr, for the error shown when it fails to start: its error line if it named one.</summary>
    public string? LastStandardError
    {
        get
        {
            lock (_standardError)
                return _standardError.FirstOrDefault(l => l.Contains("Error", StringComparison.Ordinal)) ?? _standardError.LastOrDefault();
        }
    }

    public void NoteStandardError(string line)
    {
        lock (_standardError)
        {
            _standardError.Enqueue(line.Length > 300 ? line[..300] : line);
            while (_standardError.Count > 8)
                _standardError.Dequeue();
        }
    }

    public bool IsAlive => Client is { Completion.IsCompleted: false };

    public UpstreamHealth Health
    {
        get
        {
            lock (_health)
                return _state;
        }
    }

    public void Succeeded(DateTimeOffset now, bool forwarded)
    {
        lock (_health)
            _state = _state with { State = UpstreamState.Connected, LastSuccessAt = now, Forwarded = _state.Forwarded + (forwarded ? 1 : 0) };
    }

    public void Failed(DateTimeOffset now, string error, bool forwarded)
    {
        lock (_health)
            _state = _state with { State = UpstreamState.Unavailable, LastErrorAt = now, LastError = error, Failed = _state.Failed + (forwarded ? 1 : 0) };
    }

    /// <summary>The upstream answered, but with a protocol error: it is up, the call failed.</summary>
    public void Refused(DateTimeOffset now, string error)
    {
        lock (_health)
            _state = _state with { State = UpstreamState.Connected, LastErrorAt = now, LastError = error, Failed = _state.Failed + 1 };
    }

    /// <summary>Carries counts and history over from the link this one replaces.</summary>
    public void Inherit(UpstreamHealth health)
    {
        lock (_health)
            _state = health with { State = UpstreamState.NotStarted };
    }
}
