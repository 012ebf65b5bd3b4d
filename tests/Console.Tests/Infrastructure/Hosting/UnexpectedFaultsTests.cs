using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.Hosting;

/// <summary>
/// An error nothing expected, on a path machines call, is a 500 problem document with a trace id to
/// find it in the log (never the HTML error page); on a page, people still get the error page.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class UnexpectedFaultsTests(WardenAppFactory app) : IClassFixture<WardenAppFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/api/v1/fault-for-tests")]
    [InlineData("/mcp/fault-for-tests")]
    public async Task AnUnexpectedErrorOnAnApiPath_IsA500Problem_EvenForABrowser(string path)
    {
        await using var faulty = app.WithWebHostBuilder(builder => builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ThrowingPaths>()));
        using var client = faulty.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");

        using var response = await client.SendAsync(request, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        problem.RootElement.GetProperty("type").GetString().ShouldBe("urn:warden:problem:internal-error");
        problem.RootElement.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("nothing is allowed");
        problem.RootElement.GetProperty("traceId").GetString().ShouldNotBeNullOrWhiteSpace();
        (await response.Content.ReadAsStringAsync(Cancel)).ShouldNotContain("fault for tests");
    }

    [Fact]
    public async Task AnUnexpectedErrorOnAPage_IsTheErrorPage()
    {
        await using var faulty = app.WithWebHostBuilder(builder => builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ThrowingPaths>()));
        using var client = faulty.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/fault-for-tests", UriKind.Relative));
        request.Headers.Accept.ParseAdd("text/html");

        using var response = await client.SendAsync(request, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
    }

    /// <summary>Paths no route takes, at the end of the app's pipeline, that throw.</summary>
    private sealed class ThrowingPaths : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(context => context.Request.Path.Value?.EndsWith("/fault-for-tests", StringComparison.Ordinal) == true
                ? throw new InvalidOperationException("A fault for tests.")
                : Task.CompletedTask);
        };
    }
}
