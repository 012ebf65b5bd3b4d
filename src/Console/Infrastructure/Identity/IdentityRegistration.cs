using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Warden.Components.Account;
using Warden.Persistence;

namespace Warden.Infrastructure.Identity;

public static class IdentityRegistration
{
    public static IServiceCollection AddWardenIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SessionOptions>()
            .Bind(configuration.GetSection(SessionOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var sessions = configuration.GetSection(SessionOptions.SectionName).Get<SessionOptions>() ?? new SessionOptions();

        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddScoped<AccessGuard>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "Warden.Session";
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
        });
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = sessions.RevalidationInterval;
            // The principal is rebuilt from the database on each validation: keep what the sign-in proved.
            o.OnRefreshingPrincipal = refreshing =>
            {
                if (refreshing is { CurrentPrincipal: { } current, NewPrincipal.Identity: ClaimsIdentity identity })
                    identity.AddClaims(ProofClaims.Of(current));
                return Task.CompletedTask;
            };
        });

        services.AddIdentityCore<ApplicationUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.Stores.SchemaVersion = WardenDbContext.IdentitySchema;
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 12;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<WardenDbContext>()
            .AddSignInManager<WardenSignInManager>()
            .AddDefaultTokenProviders();

        services.AddSingleton<IEmailSender<ApplicationUser>, IdentityNoOpEmailSender>();
        services.AddSingleton<SignInAudit>();
        return services;
    }
}
