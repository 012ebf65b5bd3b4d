using Microsoft.EntityFrameworkCore;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Domain.People;
using Warden.Domain.Tools;
using Warden.Features.AuditLog;
using Warden.Features.Gateway;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.Features.Tools;

/// <summary>What a person fills in to declare a tool's preview and compensating action.</summary>
public sealed record ToolHookForm(string Tool, PreviewSource Preview, string? PreviewUrl, string? CompensationUrl, string? CompensationGatewayTool);

/// <summary>Who manages tool hooks (officers) and who reads them.</summary>
public static class ToolHookAccess
{
    public static readonly string[] Managers = [Roles.SecurityOfficer];
    public static readonly string[] Readers = [Roles.SecurityOfficer, Roles.Auditor, Roles.AgentOwner];
}

/// <summary>
/// Tool hooks as the console manages them: officers declare and remove them, owners and auditors read
/// them. A hook decides what a level-2 agent may do alone and where Warden sends signed requests, so
/// each change is made with the second factor and audited in the same transaction.
/// </summary>
public sealed class ToolHookService(
    AccessGuard access,
    IDbContextFactory<WardenDbContext> contexts,
    AuditWriter audit,
    ToolHooks hooks,
    GatewayCatalog gateway)
{
    public async Task<Result<IReadOnlyList<ToolHook>>> ListAsync(CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireAsync(ToolHookAccess.Readers);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var all = await db.ToolHooks.AsNoTracking().ToListAsync(cancellationToken);
        return all.OrderBy(h => h.Tool, StringComparer.Ordinal).ToList();
    }

    /// <summary>Declares the hook of <see cref="ToolHookForm.Tool"/>, replacing the one it had.</summary>
    public async Task<Result> SaveAsync(ToolHookForm form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        var actor = await access.RequireToActAsync(ToolHookAccess.Managers);
        if (actor.IsFailure)
            return actor.Error;
        var hook = await ReadAsync(form, cancellationToken);
        if (hook.IsFailure)
            return hook.Error;
        var declared = hook.Value;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var existing = await db.ToolHooks.SingleOrDefaultAsync(h => h.Tool == declared.Tool, cancellationToken);
        if (existing is null)
            db.ToolHooks.Add(declared);
        else
            db.Entry(existing).CurrentValues.SetValues(declared);
        return await CommitAsync(db, actor.Value, "tool.hook_saved", declared.Tool, new
        {
            tool = declared.Tool,
            preview = declared.Preview.ToString().ToLowerInvariant(),
            previewUrl = declared.PreviewUrl?.ToString(),
            compensationUrl = declared.CompensationUrl?.ToString(),
            compensationGatewayTool = declared.CompensationGatewayTool,
            replaced = existing is not null,
        }, cancellationToken);
    }

    public async Task<Result> RemoveAsync(string tool, CancellationToken cancellationToken = default)
    {
        var actor = await access.RequireToActAsync(ToolHookAccess.Managers);
        if (actor.IsFailure)
            return actor.Error;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var existing = await db.ToolHooks.SingleOrDefaultAsync(h => h.Tool == tool, cancellationToken);
        if (existing is null)
            return ToolHookErrors.NotFound(tool);
        db.ToolHooks.Remove(existing);
        return await CommitAsync(db, actor.Value, "tool.hook_removed", tool, new { tool }, cancellationToken);
    }

    private async Task<Result<ToolHook>> ReadAsync(ToolHookForm form, CancellationToken cancellationToken)
    {
        var tool = form.Tool?.Trim() ?? string.Empty;
        if (!TryUrl(form.PreviewUrl, out var previewUrl))
            return ToolHookErrors.InvalidUrl(tool, "preview");
        if (!TryUrl(form.CompensationUrl, out var compensationUrl))
            return ToolHookErrors.InvalidUrl(tool, "compensation");
        var gatewayTool = string.IsNullOrWhiteSpace(form.CompensationGatewayTool) ? null : form.CompensationGatewayTool.Trim();
        var hook = new ToolHook(tool, form.Preview, previewUrl, compensationUrl, gatewayTool);
        var valid = hook.Validate();
        if (valid.IsFailure)
            return valid.Error;
        if (!hook.DeclaresAnything)
            return ToolHookErrors.DeclaresNothing(tool);
        if (gatewayTool is not null && await gateway.FindAsync(gatewayTool, cancellationToken) is null)
            return new Error("tool_hook.gateway_tool_unknown", $"Tool '{tool}': no tool called '{gatewayTool}' is mapped on the MCP gateway.");
        return hook;
    }

    private static bool TryUrl(string? text, out Uri? url)
    {
        url = null;
        if (string.IsNullOrWhiteSpace(text))
            return true;
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var parsed) || !ToolHook.IsWebhookUrl(parsed))
            return false;
        url = parsed;
        return true;
    }

    private async Task<Result> CommitAsync(WardenDbContext db, Actor actor, string kind, string tool, object data, CancellationToken cancellationToken)
    {
        await audit.AppendAsync(db, [AuditEntry.Of(AuditActor.Person(actor.Id.Value, actor.Email), kind, "tool:" + tool, data)], cancellationToken);
        hooks.Invalidate();
        return Result.Success();
    }
}
