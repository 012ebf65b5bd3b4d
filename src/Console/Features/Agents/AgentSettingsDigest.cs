using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Warden.Domain.Agents;
using Warden.Domain.Audit;
using Microsoft.EntityFrameworkCore;
using Warden.Features.AuditLog;
using Warden.Persistence;

namespace Warden.Features.Agents;

/// <summary>
/// A digest of what the decision path reads from an agent row to allow or refuse: its tools (with
/// their operations, risk and parameter schema), resource scopes, rate limit and impact caps. Every
/// change through Warden records it in the change's audit event; a row whose digest differs from the
/// latest recorded one was changed behind Warden's back.
/// </summary>
public static class AgentSettingsDigest
{
    /// <summary>The audit data field that carries the digest.</summary>
    public const string Field = "settings";

    /// <summary>
    /// The change kinds that set an agent's settings, so record their digest (a new agent always does).
    /// A command that changes tools, scopes, caps or the rate limit under another kind belongs here.
    /// </summary>
    public static readonly IReadOnlySet<string> SettingKinds = new HashSet<string>(["registered", "imported", "edited", "change_approved"], StringComparer.Ordinal);

    /// <summary>The kind of the event that records an agent's digest.</summary>
    public const string RecordedKind = "agent.settings_recorded";

    /// <summary>The subject of an agent's digest events: one indexed look-up finds the latest, however many decisions the agent made.</summary>
    public static string SubjectOf(string agentId) => "agent-settings:" + agentId;

    public static AuditEntry Recorded(string agentId, string settings, string change, AuditActor actor) =>
        AuditEntry.Of(actor, RecordedKind, SubjectOf(agentId), new { agent = agentId, settings, change });

    public static string Of(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var caps = agent.Caps;
        // A canonical list of strings: decimals without trailing zeros, as a database may store "5000.0" for 5000.
        string[] parts =
        [
            .. agent.Tools.Select(t => $"tool|{t.Name}|{string.Join(',', t.Operations)}|{t.Risk}|{t.ParameterSchema}"),
            .. agent.Scopes.Select(s => $"scope|{s.Pattern}"),
            $"rate|{agent.RateLimitPerMinute}",
            $"caps|{caps.MaxRecordsPerAction}|{Number(caps.MaxAmountPerAction)}|{caps.DailyRecordBudget}|{Number(caps.DailyAmountBudget)}|{caps.Currency}",
        ];
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(parts))));
    }

    /// <summary>The digest the latest <see cref="RecordedKind"/> event of the agent names, or null when none does.</summary>
    public static async Task<string?> RecordedAsync(WardenDbContext db, string agentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var subject = SubjectOf(agentId);
        var data = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Subject == subject && e.Kind == RecordedKind)
            .OrderByDescending(e => e.Sequence)
            .Select(e => e.Data)
            .FirstOrDefaultAsync(cancellationToken);
        return data is null ? null : Read(data);
    }

    /// <summary>The agent's settings are the ones last recorded through Warden.</summary>
    public static bool Matches(Agent agent, string? recorded) =>
        recorded is not null && string.Equals(Of(agent), recorded, StringComparison.Ordinal);

    private static string? Read(string data)
    {
        try
        {
            using var document = JsonDocument.Parse(data);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(Field, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Number(decimal? value) =>
        value?.ToString("0.############################", CultureInfo.InvariantCulture) ?? string.Empty;
}
