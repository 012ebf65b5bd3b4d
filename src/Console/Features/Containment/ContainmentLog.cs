namespace Warden.Features.Containment;

internal static partial class ContainmentLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Containment {Id} is in force, but recording its timings failed.")]
    public static partial void AfterTripFailed(ILogger logger, Exception exception, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording time-to-contain failed; it is tried again.")]
    public static partial void FlushFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Circuit breaker {Rule} could not contain agent {AgentId}: {Reason}")]
    public static partial void BreakerTripFailed(ILogger logger, Exception? exception, string rule, string agentId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Circuit breaker {Rule} tripped agent {AgentId}.")]
    public static partial void BreakerTripped(ILogger logger, string rule, string agentId);
}
