using MudBlazor;

namespace Warden.Features.AuditLog;

/// <summary>
/// Opens the explanation of the decision an audit event is about (the table's "Why?"). The feature
/// that explains decisions registers it with <see cref="AuditDecisionDialogRegistration.AddAuditDecisionDialog"/>,
/// so the audit log, which every feature writes to, uses none of them.
/// </summary>
public sealed class AuditDecisionDialog(Func<IDialogService, string, Task> show)
{
    public Task ShowAsync(IDialogService dialogs, string decisionId) => show(dialogs, decisionId);
}

public static class AuditDecisionDialogRegistration
{
    public static IServiceCollection AddAuditDecisionDialog(this IServiceCollection services, Func<IDialogService, string, Task> show) =>
        services.AddSingleton(new AuditDecisionDialog(show));
}
