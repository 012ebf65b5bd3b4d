using System.Collections.Concurrent;
using System.Security.Claims;
using OpenIddict.Abstractions;
using Warden.Domain.Agents;

namespace Warden.Infrastructure.AgentIdentity;

/// <summary>
/// The hot-path check after a token's signature and lifetime were validated: is the agent still
/// active, and was the token minted after the agent's last invalidation? In memory, O(1); loaded at
/// start and moved by suspension, retirement, containment and credential revocation.
/// </summary>
public sealed class AgentTokenGate
{
    private readonly ConcurrentDictionary<string, Entry> _agents = new(StringComparer.Ordinal);
    // Agents another instance contained, as its notification named them, with the state epoch that did
    // it: refused until this instance's view has read that epoch (then the status above decides).
    private readonly ConcurrentDictionary<string, long> _containedOnNotice = new(StringComparer.Ordinal);
    private Func<long> _view = static () => long.MaxValue;
    private bool _followsEpoch;
    // Per agent, what the next notice that contains it cancels (decisions waiting for their turn on the chain).
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _noticeSignals = new(StringComparer.Ordinal);

    public AgentTokenCheck Check(ClaimsPrincipal principal)
    {
        var agentId = principal.GetClaim(OpenIddictConstants.Claims.Subject);
        if (string.IsNullOrEmpty(agentId) || principal.Identity?.IsAuthenticated != true)
            return AgentTokenCheck.Refused(AgentTokenRefusal.NotAnAgentToken);
        if (!principal.HasAudience(AgentApi.Audience))
            return AgentTokenCheck.Refused(AgentTokenRefusal.NotAnAgentToken);
        var issuedAt = principal.GetCreationDate();
        if (issuedAt is null)
            return AgentTokenCheck.Refused(AgentTokenRefusal.NotAnAgentToken);
        return Check(agentId, issuedAt.Value);
    }

    public AgentTokenCheck Check(string agentId, DateTimeOffset issuedAt)
    {
        if (ContainedOnNotice(agentId))
            return AgentTokenCheck.Refused(AgentTokenRefusal.Contained, agentId);
        if (!_agents.TryGetValue(agentId, out var entry))
            return AgentTokenCheck.Allowed(agentId);
        if (entry.Status == AgentStatus.Contained)
            return AgentTokenCheck.Refused(AgentTokenRefusal.Contained, agentId);
        if (entry.Status != AgentStatus.Active)
            return AgentTokenCheck.Refused(AgentTokenRefusal.AgentNotActive, agentId);
        // Token times have whole seconds: a token from the same second as the invalidation is refused too.
        if (entry.ValidAfter is { } after && issuedAt.ToUnixTimeSeconds() <= after.ToUnixTimeSeconds())
            return AgentTokenCheck.Refused(AgentTokenRefusal.TokenInvalidated, agentId);
        return AgentTokenCheck.Allowed(agentId);
    }

    /// <summary>Whether the agent is contained, so that every token of it is refused.</summary>
    public bool IsContained(string agentId) =>
        ContainedOnNotice(agentId) || _agents.TryGetValue(agentId, out var entry) && entry.Status == AgentStatus.Contained;

    /// <summary>
    /// Instances sharing a database: <paramref name="view"/> is the state epoch this instance has read
    /// (a notice of an epoch it has read is spent: the status it loaded decides from then on).
    /// </summary>
    public void FollowEpoch(Func<long> view)
    {
        _view = view ?? throw new ArgumentNullException(nameof(view));
        _followsEpoch = true;
    }

    /// <summary>
    /// Another instance committed state epoch <paramref name="epoch"/>, which contained
    /// <paramref name="agentId"/>: its tokens are refused from now on, before this instance has read
    /// the change. Only a restriction is ever taken on notice; a release waits for the read.
    /// </summary>
    public void ContainOnNotice(string agentId, long epoch)
    {
        if (epoch <= _view())
            return;
        _containedOnNotice.AddOrUpdate(agentId, epoch, (_, known) => Math.Max(known, epoch));
        if (_noticeSignals.TryRemove(agentId, out var signal))
            signal.Cancel();
    }

    /// <summary>
    /// Cancelled when a notice next contains <paramref name="agentId"/> (<see cref="ContainOnNotice"/>).
    /// A signal only: whoever follows it still checks <see cref="IsContained"/> where it decides.
    /// One instance is never told of notices: it gets no signal, and its decisions register nothing.
    /// </summary>
    public CancellationToken NoticeSignal(string agentId) => _followsEpoch
        ? _noticeSignals.GetOrAdd(agentId, static _ => new CancellationTokenSource()).Token
        : CancellationToken.None;

    private bool ContainedOnNotice(string agentId)
    {
        if (_containedOnNotice.IsEmpty || !_containedOnNotice.TryGetValue(agentId, out var epoch))
            return false;
        if (epoch > _view())
            return true;
        _containedOnNotice.TryRemove(new KeyValuePair<string, long>(agentId, epoch));
        return false;
    }

    /// <summary>Whether the agent's tokens (and grants) were invalidated at or after <paramref name="issuedAt"/>.</summary>
    public bool InvalidatedSince(string agentId, DateTimeOffset issuedAt) =>
        _agents.TryGetValue(agentId, out var entry) && entry.ValidAfter is { } after && after >= issuedAt;

    /// <summary>Tokens of <paramref name="agentId"/> minted up to <paramref name="at"/> are refused from now on.</summary>
    public void Invalidate(string agentId, DateTimeOffset at, AgentStatus? status = null) =>
        _agents.AddOrUpdate(agentId,
            _ => new Entry(status ?? AgentStatus.Active, at),
            (_, old) => new Entry(status ?? old.Status, Later(old.ValidAfter, at)));

    /// <summary>Records the agent's lifecycle status; leaving Active also invalidates its tokens.</summary>
    public void StatusChanged(string agentId, AgentStatus status, DateTimeOffset at)
    {
        if (status == AgentStatus.Active)
            _agents.AddOrUpdate(agentId, _ => new Entry(status, null), (_, old) => old with { Status = status });
        else
            Invalidate(agentId, at, status);
    }

    /// <summary>
    /// Puts the database's restrictions in force: the agents named get their status and watermark, and
    /// any other agent the gate held is active again with no watermark (released or reactivated).
    /// </summary>
    internal void Load(IReadOnlyDictionary<string, (AgentStatus Status, DateTimeOffset? ValidAfter)> restrictions)
    {
        foreach (var (agentId, (status, validAfter)) in restrictions)
            _agents[agentId] = new Entry(status, validAfter);
        foreach (var agentId in _agents.Keys)
        {
            if (!restrictions.ContainsKey(agentId))
                _agents.TryRemove(agentId, out _);
        }
    }

    /// <summary>
    /// Puts the database's restrictions in force for the agents named only: each gets its status and
    /// watermark, or (null) is active again with no watermark.
    /// </summary>
    internal void LoadSome(IReadOnlyDictionary<string, (AgentStatus Status, DateTimeOffset? ValidAfter)?> restrictions)
    {
        foreach (var (agentId, restriction) in restrictions)
        {
            if (restriction is { } r)
                _agents[agentId] = new Entry(r.Status, r.ValidAfter);
            else
                _agents.TryRemove(agentId, out _);
        }
    }

    private static DateTimeOffset Later(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;

    private sealed record Entry(AgentStatus Status, DateTimeOffset? ValidAfter);
}

public enum AgentTokenRefusal
{
    None,
    NotAnAgentToken,
    AgentNotActive,
    TokenInvalidated,
    Contained,
}

public readonly record struct AgentTokenCheck(string? AgentId, AgentTokenRefusal Refusal)
{
    public bool IsAllowed => Refusal == AgentTokenRefusal.None;

    public static AgentTokenCheck Allowed(string agentId) => new(agentId, AgentTokenRefusal.None);

    public static AgentTokenCheck Refused(AgentTokenRefusal refusal, string? agentId = null) => new(agentId, refusal);
}
