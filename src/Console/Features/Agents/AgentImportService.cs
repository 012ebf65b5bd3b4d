using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Features.AuditLog;
using Warden.Features.Notifications;
using Warden.Persistence;
using Warden.Infrastructure.Identity;

namespace Warden.Features.Agents;

/// <summary>
/// Bulk registration from a JSON array. The file is checked as a whole: if any row is bad, every bad
/// row is reported with its line and nothing is imported; otherwise all rows land in one transaction.
/// </summary>
public sealed class AgentImportService(
    AccessGuard access, IDbContextFactory<WardenDbContext> contexts, AgentRegistryService registry, AuditWriter audit, Notifier notifier)
{
    public const int MaxBytes = 2 * 1024 * 1024;
    public const int MaxRows = 5000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
    };

    public async Task<Result<ImportResult>> ImportAsync(string json, CancellationToken cancellationToken = default)
    {
        var guard = await access.RequireToActAsync(AgentAccess.Registrars);
        if (guard.IsFailure)
            return guard.Error;
        var actor = guard.Value;

        var parsed = Parse(json);
        if (parsed.Errors.Count > 0)
            return new ImportResult(0, parsed.Errors);

        await using var db = contexts.CreateDbContext();
        var owners = await OwnerIdsByEmailAsync(db, parsed.Rows, cancellationToken);
        var errors = new List<ImportRowError>();
        var seenNames = new HashSet<string>(StringComparer.Ordinal);
        var notifications = new List<string?>();
        foreach (var (line, row) in parsed.Rows)
        {
            var ownerId = ResolveOwner(row.OwnerEmail, owners, actor);
            if (ownerId.IsFailure)
            {
                errors.Add(new ImportRowError(line, ownerId.Error.Message));
                continue;
            }
            if (!AgentAccess.IsOfficer(actor) && ownerId.Value != actor.Id.Value)
            {
                errors.Add(new ImportRowError(line, AgentRegistryErrors.OwnersRegisterForThemselves.Message));
                continue;
            }
            string? backupId = null;
            if (!string.IsNullOrWhiteSpace(row.BackupOwnerEmail) && !owners.TryGetValue(row.BackupOwnerEmail.Trim(), out backupId))
            {
                errors.Add(new ImportRowError(line, $"No person with the e-mail {row.BackupOwnerEmail}."));
                continue;
            }
            var ownScope = !AgentAccess.IsOfficer(actor) || ownerId.Value == actor.Id.Value
                ? AgentDrafts.RefuseMatchEverything(row.ToDraft(), [])
                : Result.Success();
            if (ownScope.IsFailure)
            {
                errors.Add(new ImportRowError(line, ownScope.Error.Message));
                continue;
            }
            var profile = AgentDrafts.ToProfile(row.ToDraft());
            if (profile.IsFailure)
            {
                errors.Add(new ImportRowError(line, profile.Error.Message));
                continue;
            }
            if (!seenNames.Add(Agent.NormalizeName(profile.Value.Name)))
            {
                errors.Add(new ImportRowError(line, $"The name '{profile.Value.Name}' appears twice in the file."));
                continue;
            }
            var registered = await registry.RegisterInAsync(db, actor, profile.Value, ownerId.Value, backupId, "imported", cancellationToken);
            if (registered.IsFailure)
                errors.Add(new ImportRowError(line, registered.Error.Message));
            else
                notifications.Add(registered.Value.Notification);
        }
        if (errors.Count > 0)
            return new ImportResult(0, errors);

        await audit.SaveWithAuditAsync(db, cancellationToken);
        notifier.Dispatch(notifications);
        return new ImportResult(parsed.Rows.Count, []);
    }

    private static Result<string> ResolveOwner(string? email, Dictionary<string, string> owners, Actor actor)
    {
        if (string.IsNullOrWhiteSpace(email))
            return actor.Id.Value;
        return owners.TryGetValue(email.Trim(), out var id) ? id : new Error("agent.unknown_owner", $"No person with the e-mail {email}.");
    }

    private static async Task<Dictionary<string, string>> OwnerIdsByEmailAsync(WardenDbContext db, IReadOnlyList<(int Line, ImportRow Row)> rows, CancellationToken cancellationToken)
    {
        var emails = rows.SelectMany(r => new[] { r.Row.OwnerEmail, r.Row.BackupOwnerEmail })
            .Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e!.Trim().ToUpperInvariant()).Distinct().ToList();
        var people = await db.Users.AsNoTracking().Where(u => emails.Contains(u.NormalizedEmail!)).ToListAsync(cancellationToken);
        return people.ToDictionary(u => u.Email!, u => u.Id, StringComparer.OrdinalIgnoreCase);
    }

    internal static (IReadOnlyList<(int Line, ImportRow Row)> Rows, IReadOnlyList<ImportRowError> Errors) Parse(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json ?? string.Empty);
        if (bytes.Length == 0)
            return ([], [new ImportRowError(1, "The file is empty.")]);
        if (bytes.Length > MaxBytes)
            return ([], [new ImportRowError(1, $"The file is larger than {MaxBytes / 1024 / 1024} MB.")]);

        var rows = new List<(int, ImportRow)>();
        var errors = new List<ImportRowError>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 16 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                return ([], [new ImportRowError(LineOf(bytes, reader.TokenStartIndex), "The file must be a JSON array of agents.")]);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var line = LineOf(bytes, reader.TokenStartIndex);
                if (rows.Count + errors.Count >= MaxRows)
                    return ([], [new ImportRowError(line, $"At most {MaxRows} agents per file.")]);
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    errors.Add(new ImportRowError(line, "Each entry must be a JSON object."));
                    reader.Skip();
                    continue;
                }
                var start = reader.TokenStartIndex;
                reader.Skip();
                var element = bytes.AsSpan((int)start, (int)(reader.TokenStartIndex - start + 1));
                try
                {
                    rows.Add((line, JsonSerializer.Deserialize<ImportRow>(element, Json)!));
                }
                catch (JsonException ex)
                {
                    errors.Add(new ImportRowError(line, $"Not a valid agent: {ex.Message}"));
                }
            }
        }
        catch (JsonException ex)
        {
            return ([], [new ImportRowError((int)(ex.LineNumber ?? 0) + 1, $"Not valid JSON: {ex.Message}")]);
        }
        if (rows.Count == 0 && errors.Count == 0)
            errors.Add(new ImportRowError(1, "The file holds no agents."));
        return (rows, errors);
    }

    private static int LineOf(byte[] bytes, long offset) => 1 + bytes.AsSpan(0, (int)Math.Min(offset, bytes.Length)).Count((byte)'\n');

    internal sealed record ImportRow
    {
        public string Name { get; init; } = string.Empty;
        public string Purpose { get; init; } = string.Empty;
        public string Segment { get; init; } = string.Empty;
        public List<string> Tags { get; init; } = [];
        public List<ToolDraft> Tools { get; init; } = [];
        public List<string> Scopes { get; init; } = [];
        public int RateLimitPerMinute { get; init; } = 60;
        public int? MaxRecordsPerAction { get; init; }
        public decimal? MaxAmountPerAction { get; init; }
        public long? DailyRecordBudget { get; init; }
        public decimal? DailyAmountBudget { get; init; }
        public string? Currency { get; init; }
        public string? OwnerEmail { get; init; }
        public string? BackupOwnerEmail { get; init; }

        public AgentDraft ToDraft() => new()
        {
            Name = Name, Purpose = Purpose, Segment = Segment, Tags = Tags, Tools = Tools, Scopes = Scopes,
            RateLimitPerMinute = RateLimitPerMinute, MaxRecordsPerAction = MaxRecordsPerAction, MaxAmountPerAction = MaxAmountPerAction,
            DailyRecordBudget = DailyRecordBudget, DailyAmountBudget = DailyAmountBudget, Currency = Currency,
        };
    }
}
