namespace Warden.Client;

internal static class RetryAfter
{
    /// <summary>The answer's <c>Retry-After</c> as a delay from now, or null when it has none.</summary>
    public static TimeSpan? Of(HttpResponseMessage response, TimeProvider clock)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
            return delta;
        if (header?.Date is { } date)
        {
            var wait = date - clock.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}
