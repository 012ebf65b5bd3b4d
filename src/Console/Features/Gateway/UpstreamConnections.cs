using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Warden.Domain;
using Warden.Domain.Gateway;

namespace Warden.Features.Gateway;

/// <summary>
/// One client per upstream on this instance: a stdio upstream's process is started on first use and
/// started again when it has died; an HTTP upstream keeps one session. Every failure is an error
/// result and a health entry, never an exception for the caller.
/// </summary>
public sealed class UpstreamConnections(
    UpstreamSecrets secrets, IHostEnvironment environment, IOptions<GatewayOptions> options, ILoggerFactory loggers, TimeProvider clock)
    : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, UpstreamLink> _links = new(StringComparer.Ordinal);

    public UpstreamHealth HealthOf(string upstreamId) =>
        _links.TryGetValue(upstreamId, out var link) ? link.Health : UpstreamHealth.NotStarted;

    /// <summary>The upstream's tools (reused for a short while), connecting first if needed.</summary>
    public async Task<Result<IReadOnlyList<Tool>>> ToolsAsync(Upstream upstream, CancellationToken cancellationToken)
    {
        var link = LinkFor(upstream);
        if (link.Tools is { } known && link.IsAlive && clock.GetUtcNow() - link.ToolsAt < TimeSpan.FromSeconds(options.Value.ToolListSeconds))
            return Warden.Domain.Result.Success<IReadOnlyList<Tool>>([.. known]);
        var client = await ConnectAsync(link, upstream, cancellationToken);
        if (client.IsFailure)
            return client.Error;
        using var timeout = Timeout(options.Value.CallTimeoutSeconds, cancellationToken);
        try
        {
            var tools = (await client.Value.ListToolsAsync(cancellationToken: timeout.Token)).Select(t => t.ProtocolTool).ToList();
            (link.Tools, link.ToolsAt) = (tools, clock.GetUtcNow());
            link.Succeeded(clock.GetUtcNow(), forwarded: false);
            return tools;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return await FailAsync(link, Describe(ex, upstream), forwarded: false);
        }
    }

    /// <summary>Calls a tool on the upstream, bounded by the call timeout.</summary>
    public async Task<Result<CallToolResult>> CallAsync(
        Upstream upstream, string tool, IDictionary<string, JsonElement>? arguments, CancellationToken cancellationToken)
    {
        var link = LinkFor(upstream);
        var client = await ConnectAsync(link, upstream, cancellationToken);
        if (client.IsFailure)
            return client.Error;
        using var timeout = Timeout(options.Value.CallTimeoutSeconds, cancellationToken);
        try
        {
            var result = await client.Value.CallToolAsync(new CallToolRequestParams { Name = tool, Arguments = arguments }, timeout.Token);
            link.Succeeded(clock.GetUtcNow(), forwarded: true);
            return result;
        }
        catch (McpProtocolException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var error = $"The upstream '{upstream.Name}' refused the call: {ex.Message}";
            link.Refused(clock.GetUtcNow(), error);
            return GatewayCallErrors.UpstreamFailed(error);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return await FailAsync(link, Describe(ex, upstream), forwarded: true);
        }
    }

    /// <summary>Drops the upstream's connection (its settings changed, or it was removed); the next use connects anew.</summary>
    public async Task ResetAsync(string upstreamId)
    {
        if (_links.TryRemove(upstreamId, out var link))
            await CloseAsync(link);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _links.Keys.ToList())
            await ResetAsync(id);
    }

    private UpstreamLink LinkFor(Upstream upstream)
    {
        while (true)
        {
            var fingerprint = Fingerprint(upstream);
            var link = _links.GetOrAdd(upstream.Id, _ => new UpstreamLink(upstream.Id, fingerprint));
            if (link.Fingerprint == fingerprint)
                return link;
            var fresh = new UpstreamLink(upstream.Id, fingerprint);
            fresh.Inherit(link.Health);
            if (_links.TryUpdate(upstream.Id, fresh, link))
            {
                _ = CloseAsync(link);
                return fresh;
            }
        }
    }

    private static string Fingerprint(Upstream upstream) =>
        string.Join('\n', [upstream.Transport.ToString(), upstream.Command, upstream.WorkingDirectory, upstream.Url, upstream.SealedHeaders, .. upstream.Arguments]);

    private async Task<Result<McpClient>> ConnectAsync(UpstreamLink link, Upstream upstream, CancellationToken cancellationToken)
    {
        if (link.IsAlive)
            return link.Client!;
        await link.Connecting.WaitAsync(cancellationToken);
        try
        {
            if (link.IsAlive)
                return link.Client!;
            if (link.Client is { } dead)
                await DisposeQuietlyAsync(dead);
            (link.Client, link.Tools) = (null, null);
            using var timeout = Timeout(options.Value.ConnectTimeoutSeconds, cancellationToken);
            try
            {
                link.Client = await McpClient.CreateAsync(Transport(link, upstream), new McpClientOptions
                {
                    ClientInfo = new Implementation { Name = "warden-gateway", Version = "1.0" },
                }, loggers, timeout.Token);
                return link.Client;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                var error = Describe(ex, upstream, connecting: true) + (link.LastStandardError is { } stderr ? $" It wrote: {stderr}" : string.Empty);
                link.Failed(clock.GetUtcNow(), error, forwarded: false);
                return GatewayCallErrors.UpstreamUnavailable(error);
            }
        }
        finally
        {
            link.Connecting.Release();
        }
    }

    private IClientTransport Transport(UpstreamLink link, Upstream upstream)
    {
        if (upstream.Transport == UpstreamTransport.Http)
        {
            return new HttpClientTransport(new HttpClientTransportOptions
            {
                Name = upstream.Name,
                Endpoint = new Uri(upstream.Url!),
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = secrets.Open(upstream.SealedHeaders).ToDictionary(),
                ConnectionTimeout = TimeSpan.FromSeconds(options.Value.ConnectTimeoutSeconds),
            }, loggers);
        }
        // The process gets only the variables a program needs to start (PATH, HOME, ...), never
        // Warden's own configuration or secrets.
        return new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = upstream.Name,
            Command = upstream.Command!,
            Arguments = [.. upstream.Arguments],
            WorkingDirectory = Path.GetFullPath(upstream.WorkingDirectory ?? ".", environment.ContentRootPath),
            InheritEnvironmentVariables = false,
            EnvironmentVariables = StdioClientTransportOptions.GetDefaultEnvironmentVariables()!,
            StandardErrorLines = link.NoteStandardError,
            ShutdownTimeout = TimeSpan.FromSeconds(2),
        }, loggers);
    }

    private async Task<Error> FailAsync(UpstreamLink link, string error, bool forwarded)
    {
        link.Failed(clock.GetUtcNow(), error, forwarded);
        // A client that failed mid-call may be stuck or speaking garbage: the next use starts afresh.
        await link.Connecting.WaitAsync();
        try
        {
            if (link.Client is { } client)
                await DisposeQuietlyAsync(client);
            (link.Client, link.Tools) = (null, null);
        }
        finally
        {
            link.Connecting.Release();
        }
        return GatewayCallErrors.UpstreamUnavailable(error);
    }

    private string Describe(Exception ex, Upstream upstream, bool connecting = false) => ex switch
    {
        OperationCanceledException => $"The upstream '{upstream.Name}' did not answer within "
            + $"{(connecting ? options.Value.ConnectTimeoutSeconds : options.Value.CallTimeoutSeconds)} s.",
        _ => $"The upstream '{upstream.Name}' is unavailable: {ex.GetBaseException().Message}",
    };

    private static CancellationTokenSource Timeout(int seconds, CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(TimeSpan.FromSeconds(seconds));
        return source;
    }

    private static async Task CloseAsync(UpstreamLink link)
    {
        if (link.Client is { } client)
            await DisposeQuietlyAsync(client);
    }

    private static async Task DisposeQuietlyAsync(McpClient client)
    {
        try
        {
            await client.DisposeAsync();
        }
        catch (Exception)
        {
            // Closing a connection that already broke has nothing left to report.
        }
    }
}
