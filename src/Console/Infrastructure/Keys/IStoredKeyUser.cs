namespace Warden.Infrastructure.Keys;

/// <summary>
/// Something that holds stored keys. Every one is loaded at start-up, before anything writes: a key is
/// then created (or imported) on its own, never inside another write transaction (on SQLite that would
/// wait on itself). Register with <see cref="KeyRegistration.AddStoredKeyUser{T}"/>.
/// </summary>
public interface IStoredKeyUser
{
    void LoadKeys();
}
