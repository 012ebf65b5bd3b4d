using System.Collections.Concurrent;
using Warden.Infrastructure.Storage;

namespace Warden.Features.Evidence;

/// <summary>Where packs live: one folder per pack under &lt;data folder&gt;/evidence.</summary>
public sealed class EvidenceStore(DatabaseConnection connection)
{
    public string Root => Path.Combine(connection.DataDirectory, "evidence");

    public string Folder(string packId)
    {
        if (string.IsNullOrEmpty(packId) || !packId.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            throw new ArgumentException("Not a pack id.", nameof(packId));
        return Path.Combine(Root, packId);
    }
}

/// <summary>How far each pack being built has come, in percent, for the page's progress bar.</summary>
public sealed class EvidenceProgress
{
    private readonly ConcurrentDictionary<string, int> _percent = new(StringComparer.Ordinal);

    public int? Of(string packId) => _percent.TryGetValue(packId, out var p) ? p : null;

    public IProgress<int> For(string packId) => new Reporter(this, packId);

    public void Clear(string packId) => _percent.TryRemove(packId, out _);

    private sealed class Reporter(EvidenceProgress owner, string packId) : IProgress<int>
    {
        public void Report(int value) => owner._percent[packId] = Math.Clamp(value, 0, 100);
    }
}
