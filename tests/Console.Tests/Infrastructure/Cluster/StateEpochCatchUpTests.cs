using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Warden.Infrastructure.Cluster;
using Warden.Infrastructure.Storage;

namespace Warden.Tests.Infrastructure.Cluster;

/// <summary>
/// A shared view past its bound decides only once a read of the epoch that started after the request
/// is reflected: a read slower than the bound costs the request time, not a refusal, while a read that
/// fails or does not come within the catch-up wait refuses.
/// </summary>
public sealed class StateEpochCatchUpTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static StateEpoch Shared(int boundMs = 100, int catchUpMs = 2_000) => new(
        new DatabaseConnection(DatabaseProvider.Postgres, "Host=unused", Path.GetTempPath()),
        Options.Create(new ClusterOptions { StalenessBoundMilliseconds = boundMs, CatchUpMilliseconds = catchUpMs }),
        NullLogger<StateEpoch>.Instance);

    [Fact]
    public async Task AViewNeverConfirmed_IsNotCurrent_AndWithoutAFollowerIsRefused()
    {
        var epoch = Shared();
        epoch.IsCurrent.ShouldBeFalse();
        (await epoch.EnsureCurrentAsync(Cancel)).ShouldBeFalse();
    }

    [Fact]
    public async Task AConfirmationSlowerThanTheBound_ButWithinTheCatchUpWait_LetsTheRequestDecide()
    {
        var epoch = Shared(boundMs: 100);
        var reads = 0;
        epoch.ConfirmWith(async ct =>
        {
            var started = Stopwatch.GetTimestamp();
            reads++;
            await Task.Delay(300, ct); // three times the bound: the confirmed view is already "old" when it lands
            epoch.Confirmed(7, started);
        });

        (await epoch.EnsureCurrentAsync(Cancel)).ShouldBeTrue();
        reads.ShouldBe(1);
        epoch.View.ShouldBe(7);
    }

    [Fact]
    public async Task AConfirmationFromARead_StartedBeforeTheRequest_IsNotEnough()
    {
        var epoch = Shared(boundMs: 100, catchUpMs: 1_000);
        var old = Stopwatch.GetTimestamp();
        await Task.Delay(150, Cancel);
        var reads = 0;
        epoch.ConfirmWith(ct =>
        {
            // The first answer is a read that started before the request asked: the request asks again.
            epoch.Confirmed(3, ++reads == 1 ? old : Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        });

        (await epoch.EnsureCurrentAsync(Cancel)).ShouldBeTrue();
        reads.ShouldBe(2);
    }

    [Fact]
    public async Task AConfirmationThatFails_OrDoesNotComeWithinTheCatchUpWait_Refuses()
    {
        var failing = Shared();
        failing.ConfirmWith(_ => Task.FromException(new InvalidOperationException("database down")));
        (await failing.EnsureCurrentAsync(Cancel)).ShouldBeFalse();

        var hanging = Shared(catchUpMs: 200);
        hanging.ConfirmWith(ct => Task.Delay(Timeout.Infinite, ct));
        (await hanging.EnsureCurrentAsync(Cancel)).ShouldBeFalse();
    }

    [Fact]
    public async Task CatchingUpWithANewerEpoch_WaitsPastTheBound_ForTheViewsToReflectIt()
    {
        var epoch = Shared(boundMs: 100);
        epoch.Confirmed(1, Stopwatch.GetTimestamp());
        _ = Task.Run(async () =>
        {
            await Task.Delay(300, Cancel);
            epoch.Reflects(2);
        }, Cancel);

        (await epoch.CatchUpAsync(2, Cancel)).ShouldBeTrue();

        var late = Shared(boundMs: 100, catchUpMs: 150);
        late.Confirmed(1, Stopwatch.GetTimestamp());
        (await late.CatchUpAsync(2, Cancel)).ShouldBeFalse();
    }
}
