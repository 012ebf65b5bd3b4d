using MudBlazor;
using Warden.Components.Layout;

namespace Warden.Features.Agents;

/// <summary>The agent page's dialogs, each answering null when the person cancels.</summary>
public static class AgentDialogs
{
    private static readonly DialogOptions Small = new() { MaxWidth = MaxWidth.Small, FullWidth = true };

    public static async Task<string?> AskReasonAsync(this IDialogService dialogs, string title, string message, string confirm, Color color)
    {
        var parameters = new DialogParameters<ReasonDialog>
        {
            { d => d.Message, message },
            { d => d.ConfirmText, confirm },
            { d => d.ConfirmColor, color },
        };
        var dialog = await dialogs.ShowAsync<ReasonDialog>(title, parameters, Small);
        return (await dialog.Result) is { Canceled: false, Data: string reason } ? reason : null;
    }

    public static async Task<OwnerPick?> PickOwnerAsync(
        this IDialogService dialogs, string title, string message, IReadOnlyList<PersonRef> candidates, bool askReason, string confirm)
    {
        var parameters = new DialogParameters<OwnerPickDialog>
        {
            { d => d.Message, message },
            { d => d.Candidates, candidates },
            { d => d.AskReason, askReason },
            { d => d.ConfirmText, confirm },
        };
        var dialog = await dialogs.ShowAsync<OwnerPickDialog>(title, parameters, Small);
        return (await dialog.Result) is { Canceled: false, Data: OwnerPick pick } ? pick : null;
    }

    public static async Task<bool> ConfirmAsync(this IDialogService dialogs, string title, string message, string confirm, string testId)
    {
        var parameters = new DialogParameters<ConfirmDialog>
        {
            { d => d.Message, message },
            { d => d.ConfirmText, confirm },
            { d => d.ConfirmTestId, testId },
        };
        var dialog = await dialogs.ShowAsync<ConfirmDialog>(title, parameters);
        return (await dialog.Result) is { Canceled: false };
    }
}
