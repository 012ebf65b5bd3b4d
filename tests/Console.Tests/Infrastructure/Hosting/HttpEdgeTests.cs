using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Warden.Tests.Features.Decisions;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.Hosting;

/// <summary>The app on a real Kestrel port, so the server's own headers and request parsing are the ones under test.</summary>
public sealed class KestrelAppFactory : WardenAppFactory
{
    public KestrelAppFactory()
        : this(FreePort())
    {
    }

    private KestrelAppFactory(int port)
        : base(new Dictionary<string, string?> { ["Urls"] = $"http://localhost:{port}" })
    {
        Port = port;
        UseKestrel(port);
        StartServer();
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://localhost:{Port}");

    public HttpClient Raw() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Attacks on the edge: a foreign page driving the console's circuit, a body the server cannot parse, and what the browser is told.</summary>
[Collection(AppCollection.Name)]
public sealed class HttpEdgeTests(KestrelAppFactory app) : IClassFixture<KestrelAppFactory>
{
    [Fact]
    public async Task Page_CarriesCspNosniffReferrerAndPermissionsPolicies_AndNoServerHeader()
    {
        using var client = app.Raw();

        using var response = await client.GetAsync("/Account/Login", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var csp = string.Join(", ", response.Headers.GetValues("Content-Security-Policy"));
        csp.ShouldContain("default-src 'self'");
        csp.ShouldContain("script-src 'self'");
        csp.ShouldNotContain("script-src 'self' 'unsafe-inline'");
        csp.ShouldContain("object-src 'none'");
        csp.ShouldContain("frame-ancestors 'none'");
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        response.Headers.GetValues("Permissions-Policy").Single().ShouldContain("camera=()");
        response.Headers.Contains("Server").ShouldBeFalse();
    }

    [Fact]
    public async Task BehindAnHttpsProxy_AnswersCarryHstsAndSecureCookies()
    {
        using var client = app.Raw();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        request.Headers.Host = "warden.example.com";
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Strict-Transport-Security").Single().ShouldContain("max-age=");
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        cookies.ShouldNotBeEmpty();
        cookies.ShouldAllBe(cookie => cookie.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task PlainHttp_WithoutAProxy_GetsNoHsts()
    {
        using var client = app.Raw();

        using var response = await client.GetAsync("/Account/Login", TestContext.Current.CancellationToken);

        response.Headers.Contains("Strict-Transport-Security").ShouldBeFalse();
    }

    [Fact]
    public async Task BlazorNegotiate_FromAForeignOrigin_IsRefused()
    {
        using var client = app.Raw();

        using var foreign = await NegotiateAsync(client, "https://attacker.example");
        using var own = await NegotiateAsync(client, app.BaseAddress.ToString().TrimEnd('/'));

        foreign.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        own.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task BlazorWebSocket_FromAForeignOrigin_IsRefused()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", "https://attacker.example");
        socket.Options.CollectHttpResponseDetails = true;

        await Should.ThrowAsync<WebSocketException>(() =>
            socket.ConnectAsync(new Uri($"ws://localhost:{app.Port}/_blazor?id=anything"), TestContext.Current.CancellationToken));

        socket.HttpStatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task MalformedChunkedBody_OnTheDecisionApi_Is400Problem()
    {
        var agent = await AgentApiClient.RegisterAsync(app);
        var token = await TokenOnThisAddressAsync(agent);
        var request =
            "POST /api/v1/decisions HTTP/1.1\r\n" +
            $"Host: localhost:{app.Port}\r\n" +
            $"Authorization: Bearer {token}\r\n" +
            "Content-Type: application/json\r\n" +
            "Transfer-Encoding: chunked\r\n" +
            "Connection: close\r\n\r\n" +
            "ZZ\r\n{\"tool\":\"crm.read\"}\r\n0\r\n\r\n";

        var answer = await SendRawAsync(request);

        answer.ShouldStartWith("HTTP/1.1 400");
        answer.ShouldContain("application/problem+json");
        answer.ShouldContain("urn:warden:problem:invalid-request");
    }

    // The issuer is the address a token was asked on: ask on the one the raw request goes to.
    private async Task<string> TokenOnThisAddressAsync(TestAgent agent)
    {
        using var client = app.Raw();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = agent.Id,
            ["client_secret"] = agent.Secret,
        });
        using var response = await client.PostAsync("/connect/token", form, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    private static async Task<HttpResponseMessage> NegotiateAsync(HttpClient client, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        request.Headers.Add("Origin", origin);
        request.Content = new StringContent(string.Empty);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<string> SendRawAsync(string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, app.Port, TestContext.Current.CancellationToken);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        return await reader.ReadToEndAsync(timeout.Token);
    }
}
