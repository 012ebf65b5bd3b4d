using Warden.Domain.Decisions;
using Warden.Features.Decisions;

namespace Warden.Features.Tools;

/// <summary>
/// Reads from the declared tool hooks whether a tool's actions can be undone. A hook store that
/// cannot be read is logged and answered as unknown (decisions) or null (readiness): level 2 then
/// holds the write for approval, and its promotion criterion fails, rather than guessing.
/// </summary>
public sealed class ToolCompensations(ToolHooks hooks, ILogger<ToolCompensations> logger) : IToolCompensations
{
    public async ValueTask<ToolCompensation> OfAsync(string tool, CancellationToken cancellationToken)
    {
        try
        {
            return (await hooks.FindAsync(tool, cancellationToken))?.DeclaresCompensation == true ? ToolCompensation.Declared : ToolCompensation.None;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            CompensationLog.LookupFailed(logger, ex, tool);
            return ToolCompensation.Unknown;
        }
    }

    public async Task<Func<string, bool>?> AllAsync(CancellationToken cancellationToken)
    {
        try
        {
            var all = await hooks.AllAsync(cancellationToken);
            return tool => all.TryGetValue(tool, out var hook) && hook.DeclaresCompensation;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            CompensationLog.LookupFailed(logger, ex, "*");
            return null;
        }
    }
}

internal static partial class CompensationLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "The tool hooks could not be read for {Tool}; a level-2 write waits for approval.")]
    public static partial void LookupFailed(ILogger logger, Exception exception, string tool);
}
