namespace Warden.Features.Policies;

/// <summary>
/// What the policies page keeps while its tabs come and go (only the open tab is rendered, so a tab's
/// component is built anew each time it opens): the draft, what the versions tab shows, and whether
/// an action is under way, which holds every other action back.
/// </summary>
public sealed class PolicyWorkspace
{
    public string? Draft { get; private set; }
    public int LineCount { get; private set; } = 1;
    public string Gutter { get; private set; } = "1";
    public string? Comment { get; set; }
    public PolicyCheck? Check { get; set; }

    public PolicyVersionView? Publishing { get; set; }
    public string? Reason { get; set; }
    public int? Progress { get; set; }
    public ReplayReport? Replay { get; private set; }
    public string? ReplayTitle { get; private set; }
    public string? Shown { get; private set; }
    public string? ShownTitle { get; private set; }
    public IReadOnlyList<DiffLine>? Diff { get; private set; }

    public string? DecisionReason { get; set; }

    public bool Busy { get; private set; }

    public void Edit(string? draft)
    {
        Draft = draft;
        LineCount = Math.Max(1, (draft ?? string.Empty).Count(c => c == '\n') + 1);
        Gutter = string.Join('\n', Enumerable.Range(1, LineCount));
    }

    public void Show(string content, string title) => (Shown, ShownTitle, Diff, Replay) = (content, title, null, null);

    public void ShowDiff(IReadOnlyList<DiffLine> diff, string title) => (Diff, ShownTitle, Shown, Replay) = (diff, title, null, null);

    public void ShowReplay(ReplayReport replay, string title) => (Replay, ReplayTitle, Shown, Diff) = (replay, title, null, null);

    public void ClearShown() => (Replay, Shown, Diff) = (null, null, null);

    /// <summary>Runs one action at a time; another asked for meanwhile is ignored.</summary>
    public async Task RunAsync(Func<Task> action)
    {
        if (Busy)
            return;
        Busy = true;
        try
        {
            await action();
        }
        finally
        {
            Busy = false;
            Progress = null;
        }
    }
}
