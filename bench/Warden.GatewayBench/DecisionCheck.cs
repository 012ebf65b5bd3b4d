using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain.Decisions;
using Warden.Persistence;

namespace Warden.GatewayBench;

/// <summary>What the database holds for the bench agent after the run: every decision must be an allow, and as many as were asked for.</summary>
internal static class DecisionCheck
{
    /// <returns>Null when the decisions are as expected; otherwise what is wrong.</returns>
    public static async Task<string?> VerifyAsync(IServiceProvider services, string agentId, int expectedActions, int expectedReviews)
    {
        var contexts = services.GetRequiredService<IDbContextFactory<WardenDbContext>>();
        await using var db = await contexts.CreateDbContextAsync();
        var counts = await db.Decisions.AsNoTracking()
            .Where(d => d.AgentId == agentId)
            .GroupBy(d => new { d.Outcome, IsReview = d.ReviewOf != null })
            .Select(g => new { g.Key.Outcome, g.Key.IsReview, Count = g.Count() })
            .ToListAsync();
        var notAllowed = counts.Where(c => c.Outcome != DecisionOutcome.Allow).Sum(c => c.Count);
        var actions = counts.Where(c => !c.IsReview).Sum(c => c.Count);
        var reviews = counts.Where(c => c.IsReview).Sum(c => c.Count);
        if (notAllowed > 0)
            return $"{notAllowed} of the bench agent's decisions were not allowed.";
        if (actions != expectedActions || reviews != expectedReviews)
            return $"expected {expectedActions} decisions and {expectedReviews} output reviews, found {actions} and {reviews}.";
        return null;
    }
}
