namespace Warden.Features.Rollback;

/// <summary>What a batch of rollbacks came to, in one sentence.</summary>
public static class RollbackWords
{
    public static string Summary(RollbackBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Called.Count == 0 && batch.Refused.Count == 0)
            return "No action to roll back in that window.";
        var parts = new List<string>();
        if (batch.Succeeded > 0)
            parts.Add($"{batch.Succeeded} rolled back");
        if (batch.Failed > 0)
            parts.Add($"{batch.Failed} failed ({batch.Called.First(r => r.State != Warden.Domain.Rollback.RollbackState.Succeeded).AnswerDetail})");
        if (batch.Refused.Count > 0)
            parts.Add($"{batch.Refused.Count} not rolled back ({batch.Refused[0].Message})");
        return string.Join("; ", parts) + ".";
    }
}
