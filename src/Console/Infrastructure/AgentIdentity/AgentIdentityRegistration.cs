using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using Warden.Infrastructure.Cluster;
using Warden.Infrastructure.Keys;
using Warden.Infrastructure.Storage;
using Warden.Persistence;

namespace Warden.Infrastructure.AgentIdentity;

/// <summary>Agents as OAuth 2.0 clients: OpenIddict's server for the token endpoint, its validation for the API.</summary>
public static class AgentIdentityRegistration
{
    public static IServiceCollection AddWardenAgentIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(AgentIdentityOptions.SectionName);
        services.AddOptions<AgentIdentityOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var options = section.Get<AgentIdentityOptions>() ?? new AgentIdentityOptions();
        var database = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (options.Issuer is null && database.ParsedProvider == DatabaseProvider.Postgres)
            throw new Hosting.StartupException(
                "AgentIdentity:Issuer is required when Database:Provider is Postgres: every instance must issue tokens and grants under one address (e.g. https://warden.example.com/).");

        services.AddSingleton<AgentTokenGate>();
        services.AddSingleton<AgentTokenGateLoader>();
        services.AddHostedService(sp => sp.GetRequiredService<AgentTokenGateLoader>());
        services.AddStateView<AgentTokenGateLoader>();
        services.AddDecisionState<AgentCredential>(c => c.AgentId);
        services.AddSingleton<ClientAssertionReplayCache>();
        services.AddOptions<CredentialThrottleOptions>().Bind(configuration.GetSection(CredentialThrottleOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.ClientLockoutFailures > o.ClientFreeFailures && o.AddressLockoutFailures > o.AddressFreeFailures,
                "The lockout thresholds of AgentIdentity:Throttle must be above the free failures.")
            .ValidateOnStart();
        services.AddSingleton<CredentialThrottle>();
        services.AddSingleton<CredentialMetrics>();
        services.AddSingleton<CredentialFailureAudit>();
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(CredentialMetrics.MeterName));

        services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<WardenDbContext>();
                core.ReplaceApplicationManager<OpenIddictEntityFrameworkCoreApplication, AgentApplicationManager>();
            })
            .AddServer(server =>
            {
                server.SetTokenEndpointUris(AgentApi.TokenEndpoint.TrimStart('/'));
                server.AllowClientCredentialsFlow();
                server.SetAccessTokenLifetime(TimeSpan.FromMinutes(AgentTokenLifetime.DefaultMinutes));
                server.RegisterAudiences(AgentApi.Audience, AutomationClient.Audience);
                server.RegisterScopes([.. AutomationClient.KnownScopes]);
                server.DisableAccessTokenEncryption();
                if (options.Issuer is not null)
                    server.SetIssuer(options.Issuer);
                server.AddEventHandler(TokenIssuanceRecorder.Descriptor);
                server.AddEventHandler(TokenFailureRecorder.Descriptor);
                server.AddEventHandler(TokenErrorProblems.Descriptor);
                var aspNetCore = server.UseAspNetCore().EnableTokenEndpointPassthrough();
                if (options.AllowHttp)
                    aspNetCore.DisableTransportSecurityRequirement();
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.AddAudiences(AgentApi.Audience, AutomationClient.Audience);
                // OpenIddict checks "exp" itself, allowing TokenValidationParameters.ClockSkew, which it sets to
                // zero. Design §5 allows up to 30 s on the lifetime check, so the bound is set here explicitly.
                validation.Configure(settings => settings.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30));
                validation.UseAspNetCore();
            });
        services.AddSingleton<ValidatedTokens>();
        services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, AgentBearerHandler>(
            AgentBearerHandler.SchemeName, null);
        services.AddSingleton<IConfigureOptions<OpenIddict.Server.OpenIddictServerOptions>, ServerKeys>();
        services.AddSingleton<ServerKeysLoader>();
        services.AddStoredKeyUser<ServerKeysLoader>();
        services.AddScoped(sp => (AgentApplicationManager)sp.GetRequiredService<OpenIddict.Core.OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>>());

        services.AddAuthorizationBuilder()
            .AddPolicy(AgentApi.Policy, policy => policy
                .AddAuthenticationSchemes(AgentApi.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(OpenIddict.Abstractions.OpenIddictConstants.Claims.Subject))
            .AddPolicy(AutomationApi.Policy, policy => policy
                .AddAuthenticationSchemes(AgentApi.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(context =>
                    context.User.HasAudience(AutomationClient.Audience)
                    && context.User.HasScope(AutomationClient.ContainmentScope)
                    && (context.User.GetClaim(OpenIddict.Abstractions.OpenIddictConstants.Claims.Subject) ?? string.Empty)
                        .StartsWith(AutomationClient.IdPrefix, StringComparison.Ordinal)))
            .AddPolicy(ToolApi.Policy, policy => policy
                .AddAuthenticationSchemes(AgentApi.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(OpenIddict.Abstractions.OpenIddictConstants.Claims.Subject));
        return services;
    }

    /// <summary>Reads the server's options once at start-up, which loads (or creates) the token keys before anything writes.</summary>
    private sealed class ServerKeysLoader(IOptionsMonitor<OpenIddict.Server.OpenIddictServerOptions> server) : IStoredKeyUser
    {
        public void LoadKeys() => _ = server.CurrentValue;
    }

    /// <summary>Keys come from the shared key store (or configured files), which is only known once the storage settings are resolved.</summary>
    private sealed class ServerKeys(DatabaseConnection connection, KeyStore keys, IOptions<AgentIdentityOptions> options, TimeProvider clock)
        : IConfigureOptions<OpenIddict.Server.OpenIddictServerOptions>
    {
        public void Configure(OpenIddict.Server.OpenIddictServerOptions server)
        {
            var signing = AgentIdentityKeys.Signing(options.Value, keys, connection.DataDirectory, clock);
            var encryption = AgentIdentityKeys.Encryption(options.Value, keys, connection.DataDirectory, clock);
            server.SigningCredentials.Add(new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.X509SecurityKey(signing), Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaSha256));
            server.EncryptionCredentials.Add(new Microsoft.IdentityModel.Tokens.EncryptingCredentials(
                new Microsoft.IdentityModel.Tokens.X509SecurityKey(encryption),
                Microsoft.IdentityModel.Tokens.SecurityAlgorithms.RsaOAEP, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.Aes256CbcHmacSha512));
        }
    }
}
