using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Domain.Agents;
using Warden.Domain.Notifications;
using Warden.Persistence;

namespace Warden.Features.Notifications;

/// <summary>
/// Turns one committed outbox notification into deliveries: an e-mail to each person who wants this
/// kind (their choice, else their role's default; owners for their own agents) and a post to each chat
/// channel that takes it. Claimed and written in one transaction, so it happens once across instances.
/// </summary>
public sealed class AlertFanOut(
    IDbContextFactory<WardenDbContext> contexts,
    IBackgroundJobClient jobs,
    IOptions<NotificationOptions> options,
    TimeProvider clock)
{
    [AutomaticRetry(Attempts = 3)]
    public async Task FanOutAsync(string notificationId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.AlertsEnabled)
            return;
        var now = clock.GetUtcNow();
        List<AlertDelivery> deliveries;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var claimed = await db.Notifications.Where(n => n.Id == notificationId && n.FannedOutAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(n => n.FannedOutAt, now), cancellationToken);
            if (claimed == 0)
                return;
            var notification = await db.Notifications.AsNoTracking().SingleAsync(n => n.Id == notificationId, cancellationToken);
            deliveries = AlertMessage.From(notification) is { } message
                ? await DeliveriesAsync(db, settings, notification, message, now, cancellationToken)
                : [];
            db.Set<AlertDelivery>().AddRange(deliveries);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        foreach (var delivery in deliveries)
            jobs.Enqueue<AlertDeliveryJob>(job => job.DeliverAsync(delivery.Id, CancellationToken.None));
    }

    private static async Task<List<AlertDelivery>> DeliveriesAsync(
        WardenDbContext db, NotificationOptions settings, OutboundNotification notification, AlertMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = new List<AlertDelivery>();
        AlertDelivery New(string channel, string recipient, string? userId) => new()
        {
            Id = "alr_" + Guid.CreateVersion7(now).ToString("N"),
            NotificationId = notification.Id,
            Kind = notification.Kind,
            Channel = channel,
            Recipient = recipient,
            UserId = userId,
            Title = Cut(message.Title, 300),
            Text = Cut(message.Text, 4000),
            Link = Cut(message.Link, 500),
            CreatedAt = now,
            NextAttemptAt = now,
        };
        if (settings.Slack.Enabled && settings.Slack.Wants(notification.Kind))
            result.Add(New(AlertChannels.Slack, AlertChannels.Slack, null));
        if (settings.Teams.Enabled && settings.Teams.Wants(notification.Kind))
            result.Add(New(AlertChannels.Teams, AlertChannels.Teams, null));
        if (settings.Smtp.Enabled && AlertKinds.Find(notification.Kind) is { } kind)
            foreach (var (userId, email) in await RecipientsAsync(db, kind, message.Agents, cancellationToken))
                result.Add(New(AlertChannels.Email, email, userId));
        return result;
    }

    /// <summary>The people with an address who receive <paramref name="kind"/> by e-mail.</summary>
    private static async Task<List<(string UserId, string Email)>> RecipientsAsync(
        WardenDbContext db, AlertKind kind, IReadOnlyList<string> agentIds, CancellationToken cancellationToken)
    {
        var ids = agentIds.Select(a => AgentId.TryParse(a, out var id) ? id : (AgentId?)null).OfType<AgentId>().ToList();
        var owners = new HashSet<string>(StringComparer.Ordinal);
        if (kind.ToOwners && ids.Count > 0)
            foreach (var agent in await db.Agents.AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => new { a.OwnerId, a.BackupOwnerId }).ToListAsync(cancellationToken))
            {
                owners.Add(agent.OwnerId.Value);
                if (agent.BackupOwnerId is { } backup)
                    owners.Add(backup.Value);
            }
        var people = await db.Users.AsNoTracking().Where(u => !u.IsDisabled && u.Email != null)
            .Select(u => new { u.Id, u.Email }).ToListAsync(cancellationToken);
        var roles = (await (from link in db.UserRoles join role in db.Roles on link.RoleId equals role.Id select new { link.UserId, role.Name }).ToListAsync(cancellationToken))
            .GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.Select(r => r.Name!).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var choices = await db.Set<AlertPreference>().AsNoTracking().Where(p => p.Kind == kind.Key)
            .ToDictionaryAsync(p => p.UserId, p => p.Email, StringComparer.Ordinal, cancellationToken);
        var recipients = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var person in people)
        {
            var held = roles.GetValueOrDefault(person.Id) ?? new HashSet<string>();
            var owns = owners.Contains(person.Id);
            bool? choice = choices.TryGetValue(person.Id, out var chosen) ? chosen : null;
            if (kind.SendsEmail(held, owns, choice) && seen.Add(person.Email!))
                recipients.Add((person.Id, person.Email!));
        }
        return recipients;
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
