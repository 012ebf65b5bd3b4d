using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Warden.Domain;
using Warden.Domain.Notifications;
using Warden.Domain.People;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Notifications;

/// <summary>One alert kind as the signed-in person sees it: whether it reaches them and whether they get it by e-mail.</summary>
public sealed record AlertChoiceRow(string Kind, string Label, bool Email, bool IsDefault, bool ForTheirAgentsOnly);

public sealed record MyAlerts(string Email, bool EmailConfigured, IReadOnlyList<AlertChoiceRow> Kinds);

/// <summary>A configured channel, named without its secrets (no password, no webhook URL).</summary>
public sealed record AlertChannelRow(string Channel, string Destination, int Waiting, int Failing, int Abandoned, DateTimeOffset? LastDeliveredAt);

public sealed record FailingDeliveryRow(string Id, string Channel, string Recipient, string Kind, string Title, int Attempts, string? LastError,
    DateTimeOffset? LastAttemptAt, DateTimeOffset? NextAttemptAt, bool Abandoned);

public sealed record AlertDeliveryStatus(IReadOnlyList<AlertChannelRow> Channels, IReadOnlyList<FailingDeliveryRow> Failing);

public static class AlertErrors
{
    public static readonly Error UnknownKind = new("alerts.unknown_kind", "There is no such alert kind.");
    public static readonly Error NotForYou = new("alerts.not_for_you", "This alert kind does not go to any of your roles.");
}

/// <summary>Each person's choice of alerts, and for administrators and officers, how delivery fares.</summary>
public sealed class AlertService(
    AccessGuard access, IDbContextFactory<WardenDbContext> contexts, IOptions<NotificationOptions> options, TimeProvider clock)
{
    private static readonly string[] Everyone = [.. Roles.All];
    private static readonly string[] Watchers = [Roles.Administrator, Roles.SecurityOfficer];

    public async Task<Result<MyAlerts>> GetMyAlertsAsync(CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireAsync(Everyone);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var userId = actor.Value.Id.Value;
        var choices = await db.Set<AlertPreference>().AsNoTracking().Where(p => p.UserId == userId)
            .ToDictionaryAsync(p => p.Kind, p => p.Email, StringComparer.Ordinal, cancellationToken);
        var roles = actor.Value.Roles;
        var owner = roles.Contains(Roles.AgentOwner);
        var rows = AlertKinds.All.Where(k => k.Reaches(roles, owner))
            .Select(k => new AlertChoiceRow(k.Key, k.Label,
                choices.TryGetValue(k.Key, out var chosen) ? chosen : k.OnByDefault(roles, owner),
                !choices.ContainsKey(k.Key),
                !k.Roles.Any(roles.Contains)))
            .ToList();
        return new MyAlerts(actor.Value.Email, options.Value.Smtp.Enabled, rows);
    }

    public async Task<Result> SetEmailAsync(string kind, bool email, CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireToActAsync(Everyone);
        if (actor.IsFailure)
            return actor.Error;
        if (AlertKinds.Find(kind ?? string.Empty) is not { } found)
            return AlertErrors.UnknownKind;
        if (!found.Reaches(actor.Value.Roles, actor.Value.Roles.Contains(Roles.AgentOwner)))
            return AlertErrors.NotForYou;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var userId = actor.Value.Id.Value;
        var preference = await db.Set<AlertPreference>().SingleOrDefaultAsync(p => p.UserId == userId && p.Kind == found.Key, cancellationToken);
        if (preference is null)
            db.Set<AlertPreference>().Add(preference = new AlertPreference { UserId = userId, Kind = found.Key });
        preference.Email = email;
        preference.ChangedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return Result.Success();
    }

    public async Task<Result<AlertDeliveryStatus>> GetDeliveryStatusAsync(CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireAsync(Watchers);
        if (actor.IsFailure)
            return actor.Error;
        var settings = options.Value;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var deliveries = db.Set<AlertDelivery>().AsNoTracking();
        var counts = await deliveries.GroupBy(d => d.Channel).Select(g => new
        {
            Channel = g.Key,
            Waiting = g.Count(d => d.DeliveredAt == null && d.AbandonedAt == null && d.Attempts == 0),
            Failing = g.Count(d => d.DeliveredAt == null && d.AbandonedAt == null && d.Attempts > 0),
            Abandoned = g.Count(d => d.AbandonedAt != null),
            Last = g.Max(d => d.DeliveredAt),
        }).ToListAsync(cancellationToken);
        var channels = new List<AlertChannelRow>();
        void Add(string channel, bool enabled, string destination)
        {
            if (!enabled)
                return;
            var c = counts.SingleOrDefault(x => x.Channel == channel);
            channels.Add(new AlertChannelRow(channel, destination, c?.Waiting ?? 0, c?.Failing ?? 0, c?.Abandoned ?? 0, c?.Last));
        }
        Add(AlertChannels.Email, settings.Smtp.Enabled, $"SMTP {settings.Smtp.Host}:{settings.Smtp.Port}");
        Add(AlertChannels.Slack, settings.Slack.Enabled, "Slack incoming webhook");
        Add(AlertChannels.Teams, settings.Teams.Enabled, "Teams incoming webhook");
        if (settings.WebhookEnabled)
        {
            var outbox = db.Notifications.AsNoTracking();
            channels.Add(new AlertChannelRow("webhook", "Signed webhook",
                await outbox.CountAsync(n => n.DeliveredAt == null && n.AbandonedAt == null && n.Attempts == 0, cancellationToken),
                await outbox.CountAsync(n => n.DeliveredAt == null && n.AbandonedAt == null && n.Attempts > 0, cancellationToken),
                await outbox.CountAsync(n => n.AbandonedAt != null, cancellationToken),
                await outbox.MaxAsync(n => n.DeliveredAt, cancellationToken)));
        }
        var failing = await deliveries.Where(d => d.DeliveredAt == null && d.Attempts > 0)
            .OrderByDescending(d => d.CreatedAt).Take(50)
            .Select(d => new FailingDeliveryRow(d.Id, d.Channel, d.Recipient, d.Kind, d.Title, d.Attempts, d.LastError, d.LastAttemptAt,
                d.AbandonedAt == null ? d.NextAttemptAt : null, d.AbandonedAt != null))
            .ToListAsync(cancellationToken);
        if (settings.WebhookEnabled)
            failing.AddRange(await db.Notifications.AsNoTracking().Where(n => n.DeliveredAt == null && n.Attempts > 0)
                .OrderByDescending(n => n.CreatedAt).Take(20)
                .Select(n => new FailingDeliveryRow(n.Id, "webhook", "webhook", n.Kind, n.Subject, n.Attempts, n.LastError, null,
                    n.AbandonedAt == null ? n.NextAttemptAt : null, n.AbandonedAt != null))
                .ToListAsync(cancellationToken));
        return new AlertDeliveryStatus(channels, failing);
    }
}
