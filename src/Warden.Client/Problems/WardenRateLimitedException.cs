namespace Warden.Client;

/// <summary>
/// Too many requests (429). <see cref="RetryAfter"/> is Warden's <c>Retry-After</c>. For an ask,
/// <see cref="Decision"/> is the recorded deny (<c>rate_limited</c>); asking again means a new ask.
/// </summary>
public sealed class WardenRateLimitedException : WardenException
{
    public WardenRateLimitedException(WardenProblem problem, TimeSpan? retryAfter, WardenDecision? decision = null)
        : base(problem)
    {
        RetryAfter = retryAfter;
        Decision = decision;
    }

    public TimeSpan? RetryAfter { get; }

    public WardenDecision? Decision { get; }
}
