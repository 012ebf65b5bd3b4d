using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Warden.Domain;
using Warden.Features.Administration;
using Warden.Features.Agents;
using Warden.Features.Approvals;
using Warden.Features.Credentials;
using Warden.Features.Dashboard;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

/// <summary>
/// A bUnit context wired to the running app: MudBlazor as in production, and the feature services
/// resolved from one scope of the app on its real SQLite file. Signing in sets the same person both
/// for bUnit's authorization (what AuthorizeView sees) and for the app scope (what AccessGuard reads).
/// </summary>
[Collection(AppCollection.Name)]
public abstract class ComponentTestBase : BunitContext, IClassFixture<WardenAppFactory>
{
    private readonly AsyncServiceScope _appScope;
    private readonly BunitAuthorizationContext _authorization;

    protected ComponentTestBase(WardenAppFactory app)
    {
        App = app;
        _appScope = app.Services.CreateAsyncScope();

        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(app.Services.GetRequiredService<TimeProvider>());
        AddFromApp<AgentDirectoryService>();
        AddFromApp<AgentRegistryService>();
        AddFromApp<AgentChangeReviewService>();
        AddFromApp<AgentExportService>();
        AddFromApp<AgentImportService>();
        AddFromApp<CredentialService>();
        AddFromApp<DashboardService>();
        AddFromApp<UserAdministrationService>();
        AddFromApp<ApprovalService>();
        AddFromApp<Warden.Features.Decisions.DecisionExplanationService>();
        AddFromApp<Warden.Features.Policies.PolicyService>();
        AddFromApp<Warden.Features.Policies.PolicyReplayService>();
        AddFromApp<Warden.Features.Policies.Packs.PolicyPackService>();
        AddFromApp<Warden.Features.Policies.PolicyPublicationService>();
        AddFromApp<Warden.Features.Autonomy.AutonomyService>();
        AddFromApp<Warden.Features.Autonomy.ActionReviewService>();
        AddFromApp<Warden.Features.Containment.ContainmentService>();
        AddFromApp<Warden.Features.Decisions.AgentActivityService>();
        AddFromApp<Warden.Features.Decisions.DryRunService>();
        AddFromApp<Warden.Features.Behaviour.BehaviourService>();
        AddFromApp<Warden.Features.Gateway.GatewayService>();
        AddFromApp<Warden.Features.Rollback.RollbackService>();
        AddFromApp<Warden.Features.Incidents.IncidentService>();
        AddFromApp<Warden.Features.Incidents.TabletopService>();
        Services.AddSingleton(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Warden.Features.Gateway.GatewayOptions>>());
        Services.AddSingleton(app.Services.GetRequiredService<Warden.Features.Containment.ContainmentRegistry>());
        Services.AddSingleton(app.Services.GetRequiredService<ApprovalFeed>());
        Services.AddSingleton(app.Services.GetRequiredService<AgentPageSections>());
        Services.AddSingleton(app.Services.GetRequiredService<Warden.Features.Decisions.DecisionDetailSections>());
        Services.AddSingleton(app.Services.GetRequiredService<Warden.Features.Containment.ContainmentAgentActions>());
        Services.AddSingleton(app.Services.GetRequiredService<Warden.Features.AuditLog.IntegrityAlerts>());
        _authorization = AddAuthorization();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    protected WardenAppFactory App { get; }

    /// <summary>Makes <paramref name="email"/> the signed-in person with the claims a real sign-in gives them.</summary>
    protected async Task SignInAsync(string email)
    {
        var principal = await App.PrincipalForAsync(email);
        ActingAs.Authenticate(_appScope.ServiceProvider, principal);
        _authorization.SetAuthorized(principal.Identity!.Name!);
        _authorization.SetRoles([.. principal.FindAll(ClaimTypes.Role).Select(c => c.Value)]);
        _authorization.SetClaims([.. principal.Claims.Where(c => c.Type != ClaimTypes.Role)]);
    }

    /// <summary>Calls a feature service of the app as <paramref name="email"/>, in a scope of its own.</summary>
    protected Task<T> AsUserAsync<TService, T>(string email, Func<TService, Task<T>> call)
        where TService : notnull =>
        App.AsUserAsync(email, call);

    protected IRenderedComponent<MudPopoverProvider> RenderPopoverProvider() => Render<MudPopoverProvider>();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _appScope.Dispose();
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await _appScope.DisposeAsync();
    }

    private void AddFromApp<TService>()
        where TService : class =>
        Services.AddScoped(_ => _appScope.ServiceProvider.GetRequiredService<TService>());
}
