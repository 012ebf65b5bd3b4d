namespace Warden.Features.Decisions;

internal static partial class DecisionLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "A decision for {AgentId} could not be recorded; the request was refused.")]
    public static partial void RecordFailed(ILogger logger, Exception exception, string agentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "A request of {AgentId} could not be screened; it was refused.")]
    public static partial void ScreeningFailed(ILogger logger, Exception exception, string agentId);
}
