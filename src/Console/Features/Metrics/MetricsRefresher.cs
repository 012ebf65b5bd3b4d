using Microsoft.Extensions.Options;
using Warden.Domain.Metrics;

namespace Warden.Features.Metrics;

/// <summary>Recomputes the exported figures (overall, trailing period) on a timer, so scrapes only read a snapshot.</summary>
public sealed partial class MetricsRefresher(
    GovernanceHistoryReader reader, GovernanceMeter meter, IOptions<MetricsOptions> options, TimeProvider clock, ILogger<MetricsRefresher> logger) : BackgroundService
{
    public async Task RefreshAsync(CancellationToken ct)
    {
        var period = MetricPeriod.Ending(clock.GetUtcNow(), TimeSpan.FromDays(options.Value.ExportPeriodDays));
        var history = await reader.ReadAsync(period, ct);
        meter.Publish(GovernanceCalculator.Compute(history, MetricScope.Overall, period));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RefreshSeconds), clock);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                RefreshFailed(logger, ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The exported governance metrics could not be recomputed; the last figures stay.")]
    private static partial void RefreshFailed(ILogger logger, Exception exception);
}
