namespace Warden.Features.Decisions;

/// <summary>Async mutual exclusion per key, for keys that come and go (idempotency keys).</summary>
public sealed class KeyedLocks
{
    private readonly Dictionary<string, (SemaphoreSlim Gate, int Users)> _locks = new(StringComparer.Ordinal);

    public async Task<IDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate;
        lock (_locks)
        {
            gate = _locks.TryGetValue(key, out var entry) ? entry.Gate : new SemaphoreSlim(1, 1);
            _locks[key] = (gate, entry.Users + 1);
        }
        try
        {
            await gate.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(key);
            throw;
        }
        return new Releaser(this, key, gate);
    }

    private void Leave(string key)
    {
        lock (_locks)
        {
            var (gate, users) = _locks[key];
            if (users == 1)
            {
                _locks.Remove(key);
                gate.Dispose();
            }
            else
            {
                _locks[key] = (gate, users - 1);
            }
        }
    }

    private sealed class Releaser(KeyedLocks owner, string key, SemaphoreSlim gate) : IDisposable
    {
        public void Dispose()
        {
            gate.Release();
            owner.Leave(key);
        }
    }
}
