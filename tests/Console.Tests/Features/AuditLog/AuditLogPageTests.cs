using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Warden.Domain;
using Warden.Features.Agents;
using Warden.Features.AuditLog;
using Warden.Tests.Features.Agents;
using Warden.Tests.Support;

namespace Warden.Tests.Features.AuditLog;

/// <summary>The /audit page on the production services: the log lists the directory's events and the chain verifies.</summary>
[Collection(AppCollection.Name)]
public sealed class AuditLogPageTests : BunitContext, IClassFixture<WardenAppFactory>
{
    private readonly WardenAppFactory _app;
    private readonly AsyncServiceScope _appScope;
    private readonly BunitAuthorizationContext _authorization;

    public AuditLogPageTests(WardenAppFactory app)
    {
        _app = app;
        _appScope = app.Services.CreateAsyncScope();
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddScoped(_ => _appScope.ServiceProvider.GetRequiredService<AuditLogService>());
        Services.AddScoped(_ => _appScope.ServiceProvider.GetRequiredService<AuditVerificationService>());
        Services.AddScoped(_ => _appScope.ServiceProvider.GetRequiredService<Warden.Features.AuditLog.Stream.AuditStreamStatus>());
        Services.AddSingleton(app.Services.GetRequiredService<AuditDecisionDialog>());
        _authorization = AddAuthorization();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public async Task AuditLogPage_AsAuditor_ListsTheRegistrationAndVerifiesTheChain()
    {
        var registered = await _app.AsUserAsync<AgentRegistryService, Result<string>>(DemoAccounts.Owner, s => s.RegisterAsync(AgentDraftBuilder.Valid()));
        await SignInAsync(DemoAccounts.Auditor);

        var page = Render<AuditLogPage>();
        page.WaitForAssertion(() => page.Markup.ShouldContain(registered.Value));
        page.Find("[data-testid='verify-chain']").Click();

        page.WaitForAssertion(() => page.Find("[data-testid='verify-result']").TextContent.ShouldContain("verified"));
        page.Markup.ShouldContain("agent.registered");
    }

    private async Task SignInAsync(string email)
    {
        var principal = await _app.PrincipalForAsync(email);
        ActingAs.Authenticate(_appScope.ServiceProvider, principal);
        _authorization.SetAuthorized(principal.Identity!.Name!);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await _appScope.DisposeAsync();
    }
}
