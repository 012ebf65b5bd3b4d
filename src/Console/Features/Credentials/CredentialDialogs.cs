using MudBlazor;
using Warden.Domain.Agents;

namespace Warden.Features.Credentials;

/// <summary>The credential section's dialogs, each answering null when the person cancels.</summary>
public static class CredentialDialogs
{
    private static readonly DialogOptions Small = new() { MaxWidth = MaxWidth.Small, FullWidth = true };

    // The secret exists only in this dialog: no close button, no backdrop click, so it is not dismissed by accident.
    private static readonly DialogOptions Secret = new() { MaxWidth = MaxWidth.Medium, FullWidth = true, BackdropClick = false, CloseOnEscapeKey = false };

    public static async Task ShowSecretAsync(this IDialogService dialogs, string clientId, string secret, ToolDeclaration? tool, string? scope)
    {
        var parameters = new DialogParameters<NewSecretDialog>
        {
            { d => d.ClientId, clientId },
            { d => d.Secret, secret },
            { d => d.Tool, tool },
            { d => d.Scope, scope },
        };
        var dialog = await dialogs.ShowAsync<NewSecretDialog>("New client secret", parameters, Secret);
        await dialog.Result;
    }

    public static async Task<TimeSpan?> AskOverlapAsync(this IDialogService dialogs)
    {
        var dialog = await dialogs.ShowAsync<RotateSecretDialog>("Rotate client secret", Small);
        return (await dialog.Result) is { Canceled: false, Data: TimeSpan overlap } ? overlap : null;
    }

    public static async Task<string?> AskPublicKeyAsync(this IDialogService dialogs)
    {
        var dialog = await dialogs.ShowAsync<AddPublicKeyDialog>("Add public key", Small);
        return (await dialog.Result) is { Canceled: false, Data: string json } ? json : null;
    }
}
