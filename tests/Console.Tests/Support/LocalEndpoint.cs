using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Warden.Tests.Support;

/// <summary>
/// A real Kestrel endpoint on a free loopback port, for the stand-ins of what Warden calls out to:
/// tools' preview and compensation webhooks, chat and paging receivers.
/// </summary>
internal sealed class LocalEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalEndpoint(WebApplication app) => _app = app;

    /// <summary>The address it listens on, without a trailing slash (http://127.0.0.1:port).</summary>
    public string BaseAddress => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public Uri Url(string path) => new(BaseAddress + path);

    /// <summary>Starts an endpoint with the routes <paramref name="map"/> adds.</summary>
    public static async Task<LocalEndpoint> StartAsync(Action<IEndpointRouteBuilder> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return new LocalEndpoint(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
