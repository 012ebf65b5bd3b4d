using System.Diagnostics;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Warden.Features.Agents;
using Warden.Infrastructure.Identity;

namespace Warden.Bench;

public sealed record CaseResult(DirectoryCase Case, int Page, double P50, double P95, double Max, int Rows, int Total);

/// <summary>
/// Calls <see cref="AgentDirectoryService.GetAgentsAsync"/> as a signed-in person would through the
/// directory page: one DI scope per person, its authentication state set as the circuit sets it.
/// The time measured is the whole service call: access check, count, page and the owners' names.
/// </summary>
public sealed class DirectoryCaseRunner(IServiceProvider services, BenchSettings settings) : IAsyncDisposable
{
    private readonly Dictionary<Viewer, AgentDirectoryService> _directories = [];
    private readonly List<AsyncServiceScope> _scopes = [];

    public async Task<IReadOnlyList<CaseResult>> RunAsync(IReadOnlyList<DirectoryCase> cases, SeededDirectory seeded, CancellationToken cancellationToken)
    {
        var pages = new List<int>();
        foreach (var directoryCase in cases)
            pages.Add(await ResolvePageAsync(directoryCase, seeded, cancellationToken));

        var results = new List<CaseResult>();
        for (var i = 0; i < cases.Count; i++)
        {
            for (var warmup = 0; warmup < settings.WarmupRuns; warmup++)
                await ExecuteAsync(cases[i], pages[i], seeded, cancellationToken);

            var timings = new double[settings.Runs];
            AgentPage last = null!;
            for (var run = 0; run < settings.Runs; run++)
            {
                var started = Stopwatch.GetTimestamp();
                last = await ExecuteAsync(cases[i], pages[i], seeded, cancellationToken);
                timings[run] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
            Array.Sort(timings);
            results.Add(new CaseResult(cases[i], pages[i], Percentile(timings, 0.50), Percentile(timings, 0.95), timings[^1], last.Items.Count, last.Total));
        }
        return results;
    }

    public async Task<int> ResolvePageAsync(DirectoryCase directoryCase, SeededDirectory seeded, CancellationToken cancellationToken)
    {
        var first = await ExecuteAsync(directoryCase, 0, seeded, cancellationToken);
        var last = Math.Max(0, (first.Total - 1) / directoryCase.Query.PageSize);
        return directoryCase.Page switch
        {
            PagePosition.First => 0,
            PagePosition.Middle => last / 2,
            _ => last,
        };
    }

    public async Task<AgentPage> ExecuteAsync(DirectoryCase directoryCase, int page, SeededDirectory seeded, CancellationToken cancellationToken)
    {
        var directory = await DirectoryForAsync(directoryCase.Viewer, seeded);
        var result = await directory.GetAgentsAsync(directoryCase.Query with { Page = page }, cancellationToken);
        return result.IsSuccess ? result.Value : throw new InvalidOperationException($"{directoryCase.Name}: {result.Error}");
    }

    private async Task<AgentDirectoryService> DirectoryForAsync(Viewer viewer, SeededDirectory seeded)
    {
        if (_directories.TryGetValue(viewer, out var directory))
            return directory;

        // The scope lives as long as the run, like a circuit lives as long as the browser tab.
        var scope = services.CreateAsyncScope();
        _scopes.Add(scope);
        var userId = viewer == Viewer.Officer ? seeded.OfficerId : seeded.Owners[6];
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(userId)
            ?? throw new InvalidOperationException($"No person {userId}.");
        var principal = await scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>().CreateUserPrincipalAsync(user);
        var authentication = (IHostEnvironmentAuthenticationStateProvider)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        authentication.SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));

        directory = scope.ServiceProvider.GetRequiredService<AgentDirectoryService>();
        _directories[viewer] = directory;
        return directory;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var scope in _scopes)
            await scope.DisposeAsync();
    }

    private static double Percentile(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
