namespace Warden.Features.Containment;

/// <summary>Every second, writes the first refused request of each fresh trip onto its record (time-to-contain).</summary>
public sealed class ContainmentMonitor(ContainmentEngine engine, TimeProvider clock, ILogger<ContainmentMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await engine.FlushRefusalsAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    ContainmentLog.FlushFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
