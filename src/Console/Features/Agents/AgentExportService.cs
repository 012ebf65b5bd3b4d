using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Domain;
using Warden.Domain.Agents;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Agents;

public enum ExportFormat
{
    Csv,
    Json,
}

/// <summary>
/// The directory as a file for auditors: one row per agent with owner names and e-mails. Rows are
/// read and written in batches, so the export never holds the whole directory in memory.
/// </summary>
public sealed class AgentExportService(
    AccessGuard access,
    IDbContextFactory<WardenDbContext> contexts,
    IOptions<DirectoryOptions> options,
    TimeProvider clock)
{
    private const int BatchSize = 500;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    public static readonly IReadOnlyList<string> Columns =
    [
        "id", "name", "status", "autonomy_level", "segment", "tags", "highest_risk", "owner_name", "owner_email",
        "backup_owner_email", "purpose", "tools", "scopes", "rate_limit_per_minute", "registered_at", "last_attested_at",
        "attestation_due_at", "attestation_overdue", "orphaned_since",
    ];

    /// <summary>Checks access before anything is written, so a refusal never produces a partial file.</summary>
    public async Task<Result> AuthorizeExportAsync() =>
        await access.RequireAsync(AgentAccess.Exporters) is { IsFailure: true } refused ? refused.Error : Result.Success();

    public async Task<Result> ExportAsync(ExportFormat format, Stream output, CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireAsync(AgentAccess.Exporters);
        if (actor.IsFailure)
            return actor.Error;

        await using var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true);
        if (format == ExportFormat.Csv)
            await writer.WriteLineAsync(string.Join(',', Columns));
        else
            await writer.WriteAsync('[');

        var first = true;
        await foreach (var row in ReadRowsAsync(cancellationToken))
        {
            if (format == ExportFormat.Csv)
            {
                await writer.WriteLineAsync(string.Join(',', row.Select(Csv)));
                continue;
            }
            if (!first)
                await writer.WriteAsync(',');
            first = false;
            var record = Columns.Zip(row).ToDictionary(pair => pair.First, pair => pair.Second);
            await writer.WriteAsync(JsonSerializer.Serialize(record, Json));
        }
        if (format == ExportFormat.Json)
            await writer.WriteAsync(']');
        await writer.FlushAsync(cancellationToken);
        return Result.Success();
    }

    private async IAsyncEnumerable<string[]> ReadRowsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var period = options.Value.AttestationPeriod;
        var now = clock.GetUtcNow();
        for (var page = 0; ; page++)
        {
            await using var db = contexts.CreateDbContext();
            var batch = await db.Agents.AsNoTracking()
                .OrderBy(a => a.RegisteredAt).ThenBy(a => a.Id)
                .Skip(page * BatchSize).Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
                yield break;
            var people = await AgentDirectoryService.LoadPeopleAsync(db, batch.SelectMany(a => new[] { a.OwnerId.Value, a.BackupOwnerId?.Value ?? string.Empty }), cancellationToken);
            foreach (var agent in batch)
                yield return Row(agent, people, period, now);
        }
    }

    private static string[] Row(Agent agent, Dictionary<string, PersonRef> people, TimeSpan period, DateTimeOffset now)
    {
        var owner = people.GetValueOrDefault(agent.OwnerId.Value);
        var backup = agent.BackupOwnerId is { } b ? people.GetValueOrDefault(b.Value) : null;
        return
        [
            agent.Id.Value, agent.Name, agent.Status.ToString().ToLowerInvariant(), agent.AutonomyLevel.ToString(CultureInfo.InvariantCulture),
            agent.Segment, string.Join(' ', agent.Tags), agent.HighestRisk.ToString().ToLowerInvariant(),
            owner?.DisplayName ?? string.Empty, owner?.Email ?? "(removed person)", backup?.Email ?? string.Empty, agent.Purpose,
            string.Join(' ', agent.Tools.Select(t => $"{t.Name}:{t.Risk.ToString().ToLowerInvariant()}")),
            string.Join(' ', agent.Scopes.Select(s => s.Pattern)), agent.RateLimitPerMinute.ToString(CultureInfo.InvariantCulture),
            Time(agent.RegisteredAt), Time(agent.LastAttestedAt), Time(agent.AttestationDueAt(period)),
            agent.IsAttestationOverdue(period, now) ? "true" : "false", agent.OrphanedSince is { } o ? Time(o) : string.Empty,
        ];
    }

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // Quotes every field that needs it, and defuses cells a spreadsheet would run as a formula.
    private static string Csv(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}
