using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Warden.Infrastructure.Hosting;

namespace Warden.Features.Decisions;

public sealed class AgentApiOptions
{
    public const string SectionName = "AgentApi";

    /// <summary>Calls per minute and agent to the API's other endpoints (polls, outcome reports, agents/me).</summary>
    public int CallsPerMinute { get; set; } = 600;
}

/// <summary>
/// Per-agent limit on the agent API calls that are not decisions (decisions are limited by each
/// agent's own rate limit inside the engine), so one agent cannot flood polls or reports.
/// </summary>
public sealed class AgentCallLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public AgentCallLimiter(IOptions<AgentApiOptions> options)
    {
        var permits = Math.Max(1, options.Value.CallsPerMinute);
        _limiter = PartitionedRateLimiter.Create<string, string>(agentId => RateLimitPartition.GetFixedWindowLimiter(agentId,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    /// <returns>Null when the call may go ahead; otherwise the 429 answer to send.</returns>
    public IResult? Refusal(HttpContext context, string agentId)
    {
        using var lease = _limiter.AttemptAcquire(agentId);
        if (lease.IsAcquired)
            return null;
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 60;
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many calls",
            "This agent made too many API calls this minute; wait for the Retry-After seconds.");
    }

    public void Dispose() => _limiter.Dispose();
}
