using Microsoft.Extensions.Options;

namespace Warden.Features.Approvals;

/// <summary>
/// Every few seconds: expires requests whose deadline passed (their agents get <c>expired</c>) and
/// escalates requests left unhandled too long. Agents asking about a request expire it themselves
/// when it is due, so an answer never waits for this sweep.
/// </summary>
public sealed class ApprovalSweeper(ApprovalLapses workflow, IOptions<ApprovalOptions> options, TimeProvider clock, ILogger<ApprovalSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(settings.SweepSeconds), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await workflow.ExpireDueAsync(stoppingToken);
                    await workflow.EscalateDueAsync(TimeSpan.FromMinutes(settings.EscalateAfterMinutes), stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    ApprovalLog.SweepFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
