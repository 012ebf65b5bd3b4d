using MudBlazor;
using Warden.Domain;

namespace Warden.Features.Policies;

/// <summary>How the policies page tells of a refused action.</summary>
internal static class PolicySnackbar
{
    /// <summary>True when there is no error; otherwise the error is shown and the caller stops.</summary>
    public static bool Report(this ISnackbar snackbar, Error? error)
    {
        if (error is null)
            return true;
        snackbar.Add(error.Message, Severity.Error);
        return false;
    }
}
