namespace Warden.Features.Containment;

/// <summary>Trips, releases and the end of a drill take turns on this instance, so two of them never race over the same agents.</summary>
public sealed class ContainmentTurns : IDisposable
{
    /// <summary>Attempts at a change that met a concurrent edit of an agent or containment before giving up.</summary>
    public const int MaxAttempts = 5;

    private readonly SemaphoreSlim _turn = new(1, 1);

    public async Task<IDisposable> TakeAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        return new Turn(_turn);
    }

    public void Dispose() => _turn.Dispose();

    private sealed class Turn(SemaphoreSlim turn) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                turn.Release();
        }
    }
}
