using System.Globalization;
using System.Text;

namespace Warden.Infrastructure.Cluster;

/// <summary>
/// What one or more committed state changes touched: per decision-state type, the keys of the rows
/// that changed (an agent id, a containment id), or "any" when they are too many to name or the type
/// names none. It travels with the state epoch in the notification, so an instance catching up reads
/// again only the views, and within them only the rows, that changed. Knowing less is always safe:
/// "any" reads the whole view.
/// </summary>
public sealed class StateChanges
{
    /// <summary>Keys named per type in one notification; beyond this the type is "any".</summary>
    public const int MaxKeysPerType = 64;

    private const int MaxKeyLength = 100;

    // Type name → the keys that changed, or null for any row of that type.
    private readonly Dictionary<string, HashSet<string>?> _types = new(StringComparer.Ordinal);

    public bool IsEmpty => _types.Count == 0;

    /// <summary>The type names, space-separated and sorted (what <see cref="StateChange.Changed"/> records).</summary>
    public string Names => string.Join(' ', _types.Keys.Order(StringComparer.Ordinal));

    public bool Touches(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return _types.ContainsKey(type.Name);
    }

    /// <summary>The keys of <paramref name="type"/> that changed; null when any may have (or the type was not touched: check <see cref="Touches"/>).</summary>
    public IReadOnlySet<string>? KeysOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return _types.GetValueOrDefault(type.Name);
    }

    /// <summary>A row of <paramref name="type"/> with <paramref name="key"/> changed (null: a row that cannot be named).</summary>
    public void Add(Type type, string? key)
    {
        ArgumentNullException.ThrowIfNull(type);
        Add(type.Name, key);
    }

    private void Add(string typeName, string? key)
    {
        if (!_types.TryGetValue(typeName, out var keys))
        {
            keys = key is null ? null : new HashSet<string>(StringComparer.Ordinal);
            _types[typeName] = keys;
        }
        if (keys is null)
            return;
        if (key is null || !IsNameable(key) || keys.Count >= MaxKeysPerType && !keys.Contains(key))
            _types[typeName] = null;
        else
            keys.Add(key);
    }

    /// <summary>
    /// The name under which a change lists the agents it contained. It is not a type, so no view
    /// reloads for it; an instance refuses those agents as soon as the notification arrives, before it
    /// has read anything (a restriction taken on notice only refuses sooner; ADR 0036).
    /// </summary>
    public const string ContainedName = "Contained";

    /// <summary>The change contained <paramref name="agentId"/>.</summary>
    public void Contained(string agentId) => Add(ContainedName, agentId);

    /// <summary>The agents the change contained, when it names them (empty when it names none or too many to list).</summary>
    public IReadOnlySet<string> ContainedAgents => _types.GetValueOrDefault(ContainedName) ?? (IReadOnlySet<string>)EmptyKeys;

    private static readonly HashSet<string> EmptyKeys = [];

    /// <summary>Adds everything <paramref name="other"/> touched.</summary>
    public void Merge(StateChanges other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (typeName, keys) in other._types)
        {
            if (keys is null)
                Add(typeName, null);
            else
                foreach (var key in keys)
                    Add(typeName, key);
        }
    }

    /// <summary>
    /// The notification payload: the epoch, then each type with its keys (<c>7 Agent:ag_1,ag_2
    /// Containment:ct_9</c>). Longer than <see cref="MaxPayloadLength"/>, it names the types only.
    /// </summary>
    public string Payload(long epoch)
    {
        var text = new StringBuilder(epoch.ToString(CultureInfo.InvariantCulture));
        foreach (var (typeName, keys) in _types.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            text.Append(' ').Append(typeName);
            if (keys is not null)
                text.Append(':').AppendJoin(',', keys.Order(StringComparer.Ordinal));
        }
        return text.Length <= MaxPayloadLength ? text.ToString()
            : epoch.ToString(CultureInfo.InvariantCulture) + " " + Names;
    }

    /// <summary>PostgreSQL refuses notification payloads of 8,000 bytes or more.</summary>
    public const int MaxPayloadLength = 7000;

    /// <summary>
    /// Reads a payload written by <see cref="Payload"/>. False for anything else, including the bare
    /// epoch an older instance sends: the reader then knows nothing of what changed and reads everything.
    /// </summary>
    public static bool TryParse(string? payload, out long epoch, out StateChanges changes)
    {
        changes = new StateChanges();
        epoch = 0;
        if (string.IsNullOrEmpty(payload))
            return false;
        var parts = payload.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out epoch))
            return false;
        foreach (var part in parts.AsSpan(1))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            var typeName = colon < 0 ? part : part[..colon];
            if (typeName.Length == 0)
                return false;
            if (colon < 0)
            {
                changes.Add(typeName, null);
                continue;
            }
            var keys = part[(colon + 1)..].Split(',');
            if (keys.Any(k => k.Length == 0))
                return false;
            foreach (var key in keys)
                changes.Add(typeName, key);
        }
        return true;
    }

    private static bool IsNameable(string key) =>
        key.Length is > 0 and <= MaxKeyLength && !key.AsSpan().ContainsAny(' ', ',', ':');
}
