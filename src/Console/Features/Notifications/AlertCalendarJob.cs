using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Domain.Agents;
using Warden.Domain.Notifications;
using Warden.Infrastructure.AgentIdentity;
using Warden.Persistence;

namespace Warden.Features.Notifications;

/// <summary>
/// Daily: tells owners that an attestation falls due soon or is overdue, and that a replaced secret
/// stops working soon. Each notice's id is derived from what it announces (kind, agent, date), so
/// the outbox itself records what was announced and a re-run announces nothing twice.
/// </summary>
public sealed class AlertCalendarJob(
    IDbContextFactory<WardenDbContext> contexts,
    Notifier notifier,
    IOptions<NotificationOptions> options,
    IConfiguration configuration,
    TimeProvider clock)
{
    public const string RecurringJobId = "alert-calendar";

    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 120)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (!notifier.Enabled)
            return 0;
        var settings = options.Value;
        // The directory's attestation period, read from its configuration key: Notifications ranks below Agents.
        var period = TimeSpan.FromDays(configuration.GetValue("Directory:AttestationPeriodDays", 90));
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var notices = new List<(string Id, string Kind, string Subject, object Body)>();

        var agents = await db.Agents.AsNoTracking().Where(a => a.Status != AgentStatus.Retired).ToListAsync(cancellationToken);
        foreach (var agent in agents)
        {
            var due = agent.AttestationDueAt(period);
            var kind = due < now ? AlertKinds.AttestationOverdue
                : due - now <= TimeSpan.FromDays(settings.AttestationNoticeDays) ? AlertKinds.AttestationDue : null;
            if (kind is null)
                continue;
            notices.Add((IdFor(kind, agent.Id.Value, due), kind, agent.Id.Value, Body(agent.Name,
                new() { ["Agent"] = agent.Name, ["Due"] = due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["Last attested"] = agent.LastAttestedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
                agent.Id.Value, notifier.Link($"/agents/{agent.Id.Value}"))));
        }

        var horizon = now + TimeSpan.FromDays(settings.CredentialNoticeDays);
        var names = agents.ToDictionary(a => a.Id.Value, a => a.Name, StringComparer.Ordinal);
        var secrets = await db.Set<PreviousClientSecret>().AsNoTracking().Where(s => s.ValidUntil > now && s.ValidUntil <= horizon).ToListAsync(cancellationToken);
        foreach (var secret in secrets.Where(s => names.ContainsKey(s.AgentId)))
            notices.Add((IdFor(AlertKinds.CredentialExpiring, secret.AgentId, secret.ValidUntil), AlertKinds.CredentialExpiring, secret.AgentId, Body(names[secret.AgentId],
                new() { ["Agent"] = names[secret.AgentId], ["Credential"] = "the replaced client secret", ["Stops working"] = secret.ValidUntil.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) },
                secret.AgentId, notifier.Link($"/agents/{secret.AgentId}"))));

        var ids = notices.Select(n => n.Id).ToList();
        var announced = (await db.Notifications.Where(n => ids.Contains(n.Id)).Select(n => n.Id).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var queued = new List<string?>();
        foreach (var notice in notices.Where(n => announced.Add(n.Id)))
            queued.Add(notifier.Queue(db, notice.Id, notice.Kind, notice.Subject, notice.Body, now));
        await db.SaveChangesAsync(cancellationToken);
        notifier.Dispatch(queued);
        return queued.Count;
    }

    /// <summary>The same notice always has the same id: kind, agent and the date it is about.</summary>
    internal static string IdFor(string kind, string agentId, DateTimeOffset date)
    {
        var key = $"{kind}|{agentId}|{date.UtcDateTime:yyyy-MM-dd}";
        return "ntf_cal_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
    }

    private static object Body(string headline, Dictionary<string, string> facts, string agentId, string link) =>
        new { headline, facts, agents = new[] { agentId }, link };
}
