using System.Net;
using System.Text.RegularExpressions;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.Hosting;

/// <summary>
/// Outside Development, the app started from its build output serves its static assets as a published
/// app does: fingerprinted files cached for good, and no hot-reload fallback that serves files the
/// build's manifest does not list.
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class StaticAssetTests(KestrelAppFactory app) : IClassFixture<KestrelAppFactory>
{
    [Fact]
    public async Task AFingerprintedStylesheet_IsCachedAsImmutable_WithItsETag()
    {
        using var client = app.Raw();
        var login = await client.GetStringAsync(new Uri("/Account/Login", UriKind.Relative), TestContext.Current.CancellationToken);
        var stylesheet = FingerprintedStylesheet().Match(login);
        stylesheet.Success.ShouldBeTrue("the login page links a fingerprinted stylesheet");

        using var response = await client.GetAsync(new Uri("/" + stylesheet.Groups["path"].Value, UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.CacheControl.ShouldNotBeNull().ToString().ShouldContain("immutable");
        response.Headers.ETag.ShouldNotBeNull();
    }

    [Fact]
    public async Task AFileInTheWebRootThatTheManifestDoesNotList_IsNotServed()
    {
        var stray = Path.Combine(RepositoryRoot.Path, "wwwroot", $"stray-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(stray, "not part of the build", TestContext.Current.CancellationToken);
        try
        {
            using var client = app.Raw();
            using var response = await client.GetAsync(new Uri("/" + Path.GetFileName(stray), UriKind.Relative), TestContext.Current.CancellationToken);

            response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
        finally
        {
            File.Delete(stray);
        }
    }

    [GeneratedRegex("href=\"(?<path>app\\.[a-z0-9]+\\.css)\"", RegexOptions.CultureInvariant)]
    private static partial Regex FingerprintedStylesheet();
}
