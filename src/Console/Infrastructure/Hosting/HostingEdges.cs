using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.HttpOverrides;

namespace Warden.Infrastructure.Hosting;

/// <summary>Warden's edge to the network: addresses, proxies, browser headers, the circuit's origin, and problem documents for what the framework answers.</summary>
public static class HostingEdges
{
    /// <summary>The address of a plain start, when neither ASPNETCORE_URLS, a Urls setting nor --urls chose one.</summary>
    public const string DefaultUrl = "http://localhost:5080";

    public static WebApplicationBuilder AddWardenEdges(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
            builder.Configuration["urls"] = DefaultUrl;
        }
        var section = builder.Configuration.GetSection(EdgeOptions.SectionName);
        builder.Services.AddOptions<EdgeOptions>().Bind(section).ValidateDataAnnotations()
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)), "Edge:KnownProxies must be IP addresses.")
            .Validate(o => o.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)), "Edge:KnownNetworks must be CIDR networks such as 10.0.0.0/8.")
            .ValidateOnStart();
        var edge = section.Get<EdgeOptions>() ?? new EdgeOptions();

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Above the API's own limit, so an over-long API URL gets the 414 problem rather than Kestrel's bare 414.
            kestrel.Limits.MaxRequestLineSize = Math.Max(kestrel.Limits.MaxRequestLineSize, edge.MaxUrlLength * 2);
        });
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            // Behind a proxy that ends TLS, the scheme and the client's address come from the proxy, but only from
            // proxies named here (loopback is always one): HSTS, Secure cookies and the token throttle depend on them.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in edge.KnownProxies.Where(p => IPAddress.TryParse(p, out _)))
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in edge.KnownNetworks.Where(n => System.Net.IPNetwork.TryParse(n, out _)))
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        builder.Services.AddHsts(hsts => hsts.MaxAge = TimeSpan.FromSeconds(edge.HstsMaxAgeSeconds));
        builder.Services.Configure<AntiforgeryOptions>(antiforgery => antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        // A query or route value that does not bind is thrown, so the API can say which one (a 400 problem), not an empty 400.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        return builder;
    }

    /// <summary>Before everything else: the proxy's forwarded headers, then the browser headers and the circuit's origin check.</summary>
    public static WebApplication UseWardenEdges(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<BlazorOriginCheck>();
        return app;
    }

    /// <summary>Inside the error handlers: framework statuses and unreadable requests on the API become problem documents.</summary>
    public static WebApplication UseApiStatusProblems(this WebApplication app)
    {
        app.UseMiddleware<ApiStatusProblems>();
        return app;
    }

    /// <summary>After authorization, before the endpoints: ambiguous or malformed JSON bodies on the API are refused.</summary>
    public static WebApplication UseStrictJsonBodies(this WebApplication app)
    {
        app.UseMiddleware<StrictJsonBodies>();
        return app;
    }
}
