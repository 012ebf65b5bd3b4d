using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticAssets;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain.People;
using Warden.Tests.Support;

namespace Warden.Tests.Authorization;

/// <summary>An app whose sessions are re-checked at the longest allowed interval, so one matrix run keeps its cookies.</summary>
public sealed class RouteMatrixAppFactory : WardenAppFactory
{
    public RouteMatrixAppFactory()
        : base(new Dictionary<string, string?> { ["Sessions:RevalidationSeconds"] = "60" })
    {
    }
}

/// <summary>
/// Every route of the running app, requested by every identity, against access-matrix.json. A new
/// route fails until someone decides who may reach it and writes that down.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RouteAccessTests(RouteMatrixAppFactory app) : IClassFixture<RouteMatrixAppFactory>
{
    private static readonly string[] Identities = [AccessMatrix.Anonymous, .. Roles.All];

    private readonly AccessMatrix _matrix = AccessMatrix.Load();

    [Fact]
    public void Matrix_ListsExactlyTheRoutesOfTheApp()
    {
        var routes = AppRoutes(app.Services);

        var listed = _matrix.Routes.Select(r => r.Route).ToList();

        listed.ShouldBeUnique();
        var missing = routes.Except(listed, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var gone = listed.Except(routes, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        missing.ShouldBeEmpty("routes of the app missing from access-matrix.json (decide who may reach them):\n" + string.Join('\n', missing));
        gone.ShouldBeEmpty("routes in access-matrix.json that the app no longer has:\n" + string.Join('\n', gone));
    }

    [Fact]
    public void Matrix_GivesAnOutcomeForEveryIdentityAndASampleForEveryParameter()
    {
        var incomplete = _matrix.Routes
            .Where(r => Identities.Any(i => !r.Expect.ContainsKey(i)) || (r.Pattern.Contains('{', StringComparison.Ordinal) && r.Sample is null))
            .Select(r => r.Route)
            .ToList();

        incomplete.ShouldBeEmpty();
    }

    [Fact]
    public async Task EveryRoute_ForEveryIdentity_AnswersAsTheMatrixSays()
    {
        var browsers = await SignInEveryIdentityAsync();

        var actual = new List<(RouteExpectation Route, string Identity, string Outcome)>();
        foreach (var route in _matrix.Routes)
        {
            foreach (var identity in Identities)
                actual.Add((route, identity, await RequestAsync(browsers[identity], route)));
        }

        var wrong = actual
            .Where(a => a.Route.Expect.GetValueOrDefault(a.Identity) != a.Outcome)
            .Select(a => $"{a.Route.Route} as {a.Identity}: expected {a.Route.Expect.GetValueOrDefault(a.Identity) ?? "(nothing)"}, was {a.Outcome}")
            .ToList();
        wrong.ShouldBeEmpty(string.Join('\n', wrong) + "\n\nObserved:\n" + Describe(actual));
    }

    [Fact]
    public async Task PostRoutes_WithoutSessionOrAntiforgeryToken_NeverSucceed()
    {
        using var anonymous = app.CreateBrowser();
        var posting = _matrix.Routes.Where(r => r.Method is "POST" or "ANY").ToList();

        var outcomes = new List<string>();
        foreach (var route in posting)
            outcomes.Add($"{route.Route}: {await RequestAsync(anonymous, route, HttpMethod.Post)}");

        posting.ShouldNotBeEmpty();
        outcomes.ShouldNotContain(o => o.EndsWith(": " + AccessOutcome.Allow, StringComparison.Ordinal), string.Join('\n', outcomes));
    }

    [Fact]
    public async Task EveryPage_PostedAFormWithoutAntiforgeryToken_IsNeverAccepted()
    {
        using var anonymous = app.CreateBrowser();
        using var admin = await app.SignInAsync(DemoAccounts.Admin);
        var pages = PagePatterns(app.Services);

        var accepted = new List<string>();
        foreach (var page in pages)
        {
            var route = _matrix.Routes.SingleOrDefault(r => r.Route == $"GET {page}");
            var path = route?.Sample ?? page;
            foreach (var (who, browser) in new[] { (AccessMatrix.Anonymous, anonymous), (Roles.Administrator, admin) })
            {
                using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "any" });
                using var response = await browser.PostAsync(path, form, TestContext.Current.CancellationToken);
                var outcome = AccessOutcome.Classify(response);
                if (outcome == AccessOutcome.Allow)
                    accepted.Add($"POST {path} as {who}");
            }
        }

        pages.Count.ShouldBeGreaterThan(10);
        accepted.ShouldBeEmpty(string.Join('\n', accepted));
    }

    /// <summary>The routes an outsider can reach, keyed "METHOD /pattern"; framework plumbing and static files left out.</summary>
    internal static List<string> AppRoutes(IServiceProvider services)
    {
        var keys = new List<string>();
        foreach (var endpoint in Endpoints(services))
        {
            var pattern = PatternOf(endpoint);
            if (endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
            {
                keys.Add($"GET {pattern}");
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
            keys.AddRange(methods.Count == 0 ? [$"ANY {pattern}"] : methods.Select(m => $"{m} {pattern}"));
        }
        return keys.Distinct(StringComparer.Ordinal).ToList();
    }

    private static List<string> PagePatterns(IServiceProvider services) =>
        Endpoints(services)
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
            .Select(PatternOf)
            .Where(p => !p.Contains('{', StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private static IEnumerable<RouteEndpoint> Endpoints(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => !IsFrameworkOrStaticFile(e));

    private static string PatternOf(RouteEndpoint endpoint) => "/" + (endpoint.RoutePattern.RawText ?? string.Empty).TrimStart('/');

    private static bool IsFrameworkOrStaticFile(RouteEndpoint endpoint)
    {
        var pattern = PatternOf(endpoint);
        var lastSegment = pattern[(pattern.LastIndexOf('/') + 1)..];
        return pattern.StartsWith("/_framework/", StringComparison.Ordinal)
            || pattern.StartsWith("/_blazor", StringComparison.Ordinal)
            || pattern.StartsWith("/_content/", StringComparison.Ordinal)
            || endpoint.Metadata.GetMetadata<StaticAssetDescriptor>() is not null
            || endpoint.Metadata.Any(m => m.GetType().Name == "FallbackMetadata")
            || (!lastSegment.Contains('{', StringComparison.Ordinal) && Path.HasExtension(lastSegment));
    }

    private async Task<Dictionary<string, HttpClient>> SignInEveryIdentityAsync()
    {
        var browsers = new Dictionary<string, HttpClient>(StringComparer.Ordinal) { [AccessMatrix.Anonymous] = app.CreateBrowser() };
        foreach (var role in Roles.All)
            browsers[role] = await app.SignInAsync(DemoAccounts.ForRole(role));
        return browsers;
    }

    private static async Task<string> RequestAsync(HttpClient browser, RouteExpectation route, HttpMethod? method = null)
    {
        method ??= route.Method switch
        {
            "POST" => HttpMethod.Post,
            "PUT" => HttpMethod.Put,
            _ => HttpMethod.Get,
        };
        using var request = new HttpRequestMessage(method, route.Sample ?? route.Pattern);
        if (method == HttpMethod.Post || method == HttpMethod.Put)
            request.Content = new StringContent(string.Empty, Encoding.UTF8, new MediaTypeHeaderValue("application/x-www-form-urlencoded"));
        try
        {
            using var response = await browser.SendAsync(request, TestContext.Current.CancellationToken);
            return AccessOutcome.Classify(response);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The in-memory server hands an exception that escaped every handler to the client; a real
            // server answers it with an empty 500.
            return AccessOutcome.Unhandled;
        }
    }

    private static string Describe(IEnumerable<(RouteExpectation Route, string Identity, string Outcome)> actual) =>
        string.Join(",\n", actual.GroupBy(a => a.Route.Route).Select(g =>
            $"{{ \"route\": {JsonSerializer.Serialize(g.Key)}, \"expect\": {{ {string.Join(", ", g.Select(a => $"\"{a.Identity}\": \"{a.Outcome}\""))} }} }}"));
}
