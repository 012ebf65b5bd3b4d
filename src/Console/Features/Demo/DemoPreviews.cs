using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Warden.Domain.Tools;
using Warden.Features.AuditLog;
using Warden.Persistence;

namespace Warden.Features.Demo;

/// <summary>
/// The demo's previewed payment: the payments bot sends, with each payment, what it would change (the
/// invoice going from open to paid, the amount), which officers see on the approval card; and once
/// approved, it reports the preview it ran. The demo seeder gives <c>payments.send</c> a tool hook
/// declaring agent previews, so a payment without one would be held.
/// </summary>
public static class DemoPreviews
{
    public const string Tool = "payments.send";

    /// <summary>The demo payment tool's hook: the agent sends a preview with each payment.</summary>
    public static ToolHook Hook() => new(Tool, PreviewSource.Agent, null, null, null);

    /// <summary>Declares the <see cref="Hook"/> once, unless an officer already declared the tool's hook; the event to audit it by, or null.</summary>
    public static async Task<AuditEntry?> SeedHookAsync(WardenDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (await db.ToolHooks.AnyAsync(h => h.Tool == Tool, cancellationToken))
            return null;
        db.ToolHooks.Add(Hook());
        return DemoHooks.Saved(Hook());
    }

    /// <summary>The preview sent with a demo request, or null for tools without one.</summary>
    public static object? For(string tool, string n, decimal? amount) => tool != Tool ? null : new
    {
        summary = string.Create(CultureInfo.InvariantCulture, $"Pay {amount ?? 0m:0.00} EUR to supplier {n} for invoice INV-{n}"),
        changes = string.Create(CultureInfo.InvariantCulture,
            $"- erp/invoices/INV-{n}: status open, balance {amount ?? 0m:0.00} EUR\n+ erp/invoices/INV-{n}: status paid, balance 0.00 EUR\n+ payments/suppliers/{n}: transfer {amount ?? 0m:0.00} EUR"),
        records = new[] { $"erp/invoices/INV-{n}", $"payments/suppliers/{n}" },
        amount = amount ?? 0m,
        currency = "EUR",
    };

    /// <summary>The preview digest an answer carries, reported back with the outcome; null without a preview.</summary>
    public static string? DigestOf(JsonElement answer) =>
        answer.TryGetProperty("previewDigest", out var digest) && digest.ValueKind == JsonValueKind.String ? digest.GetString() : null;
}
