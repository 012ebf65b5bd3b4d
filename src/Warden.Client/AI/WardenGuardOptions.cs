namespace Warden.Client.AI;

/// <summary>How guarded tools behave while Warden holds a call for people, and what the guard tells.</summary>
public sealed class WardenGuardOptions
{
    /// <summary>How long a pending call (or a pending output review) waits for people before it is refused. Zero refuses at once.</summary>
    public TimeSpan PendingWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Whether a tool's result is screened through output review before the model sees it.</summary>
    public bool ReviewOutput { get; set; } = true;

    /// <summary>Told when a call is held for people and the guard starts waiting: the function, the ask and the pending decision.</summary>
    public Action<string, WardenAsk, WardenDecision>? OnPending { get; set; }

    /// <summary>Told about every guarded call once it is settled (for logs, metrics, tests).</summary>
    public Action<GuardedToolCall>? OnCall { get; set; }
}
