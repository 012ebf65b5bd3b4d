using MudBlazor.Services;
using Warden.Components;
using Warden.Features;
using Warden.Features.Demo;
using Warden.Infrastructure.AgentIdentity;
using Warden.Infrastructure.Cluster;
using Warden.Infrastructure.Hosting;
using Warden.Infrastructure.Identity;
using Warden.Infrastructure.Jobs;
using Warden.Infrastructure.Keys;
using Warden.Infrastructure.Storage;

namespace Warden;

/// <summary>The composition root: what Program.cs calls, and what tests start through it.</summary>
public static class WardenApp
{
    private const string ReloadStaticAssetsAtRuntime = "ReloadStaticAssetsAtRuntime";

    public static WebApplicationBuilder AddWarden(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseStaticWebAssets();
        // Outside Development, static assets are served as the build's manifest describes them, as a
        // published app serves them. Without this, an app started from its build output (as the demo
        // and deploy/local-cluster.sh start it) gets ASP.NET Core's hot-reload support in any
        // environment: every static file re-hashed on every request for its ETag, no-cache on
        // fingerprinted assets, and a fallback route that looks on disk for any unmatched path.
        // An explicit ReloadStaticAssetsAtRuntime setting wins.
        if (!builder.Environment.IsDevelopment() && builder.Configuration[ReloadStaticAssetsAtRuntime] is null)
            builder.Configuration[ReloadStaticAssetsAtRuntime] = "false";
        builder.AddWardenEdges();
        builder.Logging.AddFilter("Hangfire", LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<DemoOptions>(builder.Configuration.GetSection(DemoOptions.SectionName));

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        // Messages appear at the bottom so they never cover the containment banner at the top of every page.
        builder.Services.AddMudServices(mud => mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight);
        builder.Services.AddHttpContextAccessor();

        builder.Services.AddWardenStorage(builder.Configuration, builder.Environment);
        builder.Services.AddWardenCluster(builder.Configuration);
        builder.Services.AddWardenKeys(builder.Configuration, builder.Environment);
        builder.Services.AddWardenIdentity(builder.Configuration);
        builder.Services.AddWardenAgentIdentity(builder.Configuration);
        builder.Services.AddWardenJobs(builder.Configuration);
        builder.Services.AddWardenHealth();
        builder.Services.AddSingleton<PeopleSeeder>();
        builder.Services.AddSingleton<FirstRunSetup>();
        builder.Services.AddWardenFeatures(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Everything that must be true before the first request: schema, roles, first people, job storage.
    /// On PostgreSQL all of it runs under the start-up lock, so instances starting together take turns.
    /// </summary>
    public static async Task PrepareWardenAsync(this WebApplication app, CancellationToken cancellationToken)
    {
        await using var startup = await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);
        // Every stored key opens with the configured key-encryption key, or nothing starts.
        await app.Services.PrepareKeysAsync(cancellationToken);
        // Hangfire installs its schema when its storage is first made.
        _ = app.Services.GetRequiredService<Hangfire.JobStorage>();
        // Containment is in force before the first request is served, restart or not.
        await using (var db = await app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Warden.Persistence.WardenDbContext>>().CreateDbContextAsync(cancellationToken))
            await app.Services.GetRequiredService<Warden.Features.Containment.ContainmentRegistry>().LoadAsync(db, cancellationToken);
        // So is the newest published policy (the default one, seeded as version 1 on a fresh database).
        await app.Services.GetRequiredService<Warden.Features.Policies.PolicyStore>().LoadAsync(cancellationToken);
        // Agents stored before their settings were recorded get their first digest, once per database.
        await app.Services.GetRequiredService<Warden.Features.Agents.AgentSettingsBaseline>().EnsureAsync(cancellationToken);
        // Decisions are made under the state epoch the views were loaded at: read from the database
        // with every view once more when instances share it, or with the chain's head on one instance.
        if (app.Services.GetRequiredService<StateEpoch>().IsShared)
            await app.Services.GetRequiredService<StateFollower>().LoadAsync(cancellationToken);
        else
            await app.Services.GetRequiredService<Warden.Features.AuditLog.AuditWriter>().GetHeadAsync(cancellationToken);
        var seeder = app.Services.GetRequiredService<PeopleSeeder>();
        await seeder.EnsureRolesAsync();

        var demo = app.Configuration.GetSection(DemoOptions.SectionName).Get<DemoOptions>() ?? new DemoOptions();
        var url = (app.Configuration["Urls"] ?? "http://localhost:5080").Split(';')[0].TrimEnd('/');
        if (demo.Enabled)
        {
            await seeder.SeedDemoPeopleAsync(demo.Password, demo.AuthenticatorKey);
            await app.Services.GetRequiredService<DemoAgentSeeder>().SeedAsync(cancellationToken);
            await app.Services.GetRequiredService<DemoUpstream>().SeedAsync(cancellationToken);
            await DemoCompensation.SeedAsync(app.Services, url, cancellationToken);
            StartupBanner.PrintDemo(url, demo);
        }
        else if (!await seeder.AnyActiveAdministratorAsync())
        {
            var token = app.Services.GetRequiredService<FirstRunSetup>().Open();
            StartupBanner.PrintFirstRun(url, token);
        }
    }

    public static WebApplication UseWarden(this WebApplication app)
    {
        app.UseWardenEdges();
        if (!app.Environment.IsDevelopment())
        {
            // A machine calling the API gets a problem document, a person the error page.
            app.UseWhen(context => ApiPaths.Includes(context.Request.Path),
                branch => branch.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = context => ApiProblems.Unexpected(context).ExecuteAsync(context) }));
            app.UseWhen(context => !ApiPaths.Includes(context.Request.Path),
                branch => branch.UseExceptionHandler("/Error", createScopeForErrors: true));
            app.UseHsts();
        }
        // Inside the error page, around authentication too (OpenIddict's token endpoint reads the
        // database there): a database that does not answer is a 503 problem, not an error page.
        app.UseMiddleware<DatabaseFaults>();
        app.UseApiStatusProblems();
        app.UseTokenThrottle();
        // The MCP gateway is called with agents' bearer tokens, like the agent API.
        app.UseWardenAuthentication(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Warden.Features.Gateway.GatewayOptions>>().Value.Path);
        app.UseAuthorization();
        app.UseStrictJsonBodies();
        app.UseSecondFactorGate();
        // Only page requests get the friendly not-found page; a refused POST keeps its status (e.g. 400).
        app.UseWhen(
            context => (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)) && !ApiPaths.Includes(context.Request.Path),
            branch => branch.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapWardenHealth();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        app.MapAgentTokenEndpoint();
        app.MapWardenJobs();
        app.MapWardenFeatures();
        return app;
    }
}
