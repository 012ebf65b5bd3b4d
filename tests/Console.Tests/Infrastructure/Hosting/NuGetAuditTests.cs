using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Warden.Tests.Support;

namespace Warden.Tests.Infrastructure.Hosting;

/// <summary>
/// The repository's build settings fail a restore that takes in a package with a known vulnerability.
/// The package source here publishes no vulnerability data, so a vulnerability source is served in the
/// test (NuGet's <c>VulnerabilityInfo</c> resource) naming a package the tests already use, and a small
/// project that imports the repository's <c>Directory.Build.props</c> is restored against it.
/// </summary>
public sealed class NuGetAuditTests
{
    private const string Package = "Shouldly";

    [Fact]
    public async Task Restore_OfAPackageWithAKnownVulnerability_FailsWithTheRepositorysSettings()
    {
        await using var advisories = await AdvisoryServer.StartAsync(Package.ToLowerInvariant());
        var folder = Directory.CreateTempSubdirectory("warden-nuget-audit-");
        try
        {
            WriteProject(folder.FullName, advisories.IndexUrl, importRepositorySettings: true);
            var (exitCode, output) = await RestoreAsync(folder.FullName);

            exitCode.ShouldNotBe(0, output);
            output.ShouldContain("NU1903", customMessage: output);
            output.ShouldContain(Package);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Restore_OfTheSamePackage_WithoutTheRepositorysSettings_IsOnlyWarned()
    {
        await using var advisories = await AdvisoryServer.StartAsync(Package.ToLowerInvariant());
        var folder = Directory.CreateTempSubdirectory("warden-nuget-audit-");
        try
        {
            WriteProject(folder.FullName, advisories.IndexUrl, importRepositorySettings: false);
            var (exitCode, output) = await RestoreAsync(folder.FullName);

            // The advisory is seen either way; only the repository's settings make it fail the restore.
            output.ShouldContain("NU1903", customMessage: output);
            exitCode.ShouldBe(0, output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void WriteProject(string folder, string auditSource, bool importRepositorySettings)
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        // The package comes from the local packages folder (the tests were restored from it), the advisories from the test's server.
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources><clear /><add key="local" value="{packages}" /></packageSources>
              <auditSources><clear /><add key="advisories" value="{auditSource}" allowInsecureConnections="true" /></auditSources>
            </configuration>
            """);
        var settings = importRepositorySettings ? $"""<Import Project="{RepositoryRoot.Combine("Directory.Build.props")}" />""" : "<PropertyGroup><TargetFramework>net10.0</TargetFramework><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup>";
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), $"<Project>{settings}</Project>");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), $"""<Project><Import Project="{RepositoryRoot.Combine("Directory.Packages.props")}" /></Project>""");
        File.WriteAllText(Path.Combine(folder, "Probe.csproj"), $"""<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="{Package}" /></ItemGroup></Project>""");
    }

    private static async Task<(int ExitCode, string Output)> RestoreAsync(string folder)
    {
        var start = new ProcessStartInfo("dotnet", ["restore", "--nologo"])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        patience.CancelAfter(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(patience.Token);
        return (process.ExitCode, await output + await errors);
    }

    /// <summary>A NuGet service index with only a vulnerability resource, whose one page names every version of a package as vulnerable (high).</summary>
    private sealed class AdvisoryServer(WebApplication app) : IAsyncDisposable
    {
        private string BaseUrl => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        public string IndexUrl => BaseUrl + "/v3/index.json";

        public static async Task<AdvisoryServer> StartAsync(string packageId)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var server = new AdvisoryServer(app);
            app.MapGet("/v3/index.json", () => Results.Content(
                $$"""{"version":"3.0.0","resources":[{"@id":"{{server.BaseUrl}}/vulnerabilities/index.json","@type":"VulnerabilityInfo/6.7.0"}]}""", "application/json"));
            app.MapGet("/vulnerabilities/index.json", () => Results.Content(
                $$"""[{"@name":"all","@id":"{{server.BaseUrl}}/vulnerabilities/all.json","@updated":"2026-12-01T00:00:00Z"}]""", "application/json"));
            app.MapGet("/vulnerabilities/all.json", () => Results.Content(
                $$"""{"{{packageId}}":[{"severity":2,"url":"https://advisories.invalid/warden-test","versions":"[0.0.0, )"}]}""", "application/json"));
            await app.StartAsync();
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
