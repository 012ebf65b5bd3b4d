using Microsoft.AspNetCore.Builder;
using Warden.Infrastructure.Hosting;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.Hosting;

/// <summary>
/// The conventional ways to choose the address win over Warden's default. In the app collection
/// because one test sets ASPNETCORE_URLS for the process while it builds.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class HostAddressTests
{
    [Fact]
    public void AspNetCoreUrls_ChoosesTheAddress()
    {
        var previous = Environment.GetEnvironmentVariable("ASPNETCORE_URLS");
        Environment.SetEnvironmentVariable("ASPNETCORE_URLS", "http://127.0.0.1:5181");
        try
        {
            var builder = Builder([]);

            builder.AddWardenEdges();

            builder.Configuration["urls"].ShouldBe("http://127.0.0.1:5181");
        }
        finally
        {
            Environment.SetEnvironmentVariable("ASPNETCORE_URLS", previous);
        }
    }

    [Fact]
    public void UrlsOnTheCommandLine_ChoosesTheAddress()
    {
        var builder = Builder(["--urls", "http://127.0.0.1:5182"]);

        builder.AddWardenEdges();

        builder.Configuration["urls"].ShouldBe("http://127.0.0.1:5182");
    }

    [Fact]
    public void PlainStart_ListensOn5080()
    {
        var builder = Builder([]);

        builder.AddWardenEdges();

        builder.Configuration["urls"].ShouldBe("http://localhost:5080");
    }

    // The repository's own appsettings.json is read, as on a real start.
    private static WebApplicationBuilder Builder(string[] args) =>
        WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = RepositoryRoot.Path });
}
