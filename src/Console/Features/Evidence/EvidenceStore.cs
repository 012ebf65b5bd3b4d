using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Warden.Infrastructure.Storage;
using Warden.Persistence;

namespace Warden.Features.Evidence;

/// <summary>
/// Where packs live: in the database (<see cref="EvidenceFileChunk"/>), so every instance serves and
/// verifies every pack. A pack is built in a private folder of the instance that builds it, then stored
/// piece by piece; reads stream it back piece by piece, so memory stays flat whatever the size. Packs
/// built before they were stored in the database (&lt;data folder&gt;/evidence/&lt;id&gt;) are stored on first use.
/// </summary>
public sealed class EvidenceStore(IDbContextFactory<WardenDbContext> contexts, DatabaseConnection connection)
{
    public const int ChunkBytes = 1024 * 1024;

    /// <summary>The folder this instance builds a pack in before storing it.</summary>
    public string BuildFolder(string packId) => Path.Combine(connection.DataDirectory, "evidence-build", Checked(packId));

    /// <summary>Where this instance kept a pack before packs were stored in the database.</summary>
    public string LegacyFolder(string packId) => Path.Combine(connection.DataDirectory, "evidence", Checked(packId));

    /// <summary>Stores every file of <paramref name="folder"/> as the pack's files, replacing any stored before (a retried build).</summary>
    public async Task SaveAsync(string packId, string folder, CancellationToken cancellationToken)
    {
        Checked(packId);
        await using var db = contexts.CreateDbContext();
        await db.EvidenceFileChunks.Where(c => c.PackId == packId).ExecuteDeleteAsync(cancellationToken);
        var buffer = new byte[ChunkBytes];
        foreach (var path in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
        {
            await using var file = File.OpenRead(path);
            var index = 0;
            int read;
            do
            {
                read = await file.ReadAtLeastAsync(buffer, ChunkBytes, throwOnEndOfStream: false, cancellationToken);
                db.EvidenceFileChunks.Add(new EvidenceFileChunk(packId, Path.GetFileName(path), index++, buffer[..read]));
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
            while (read == ChunkBytes);
        }
    }

    public async Task<bool> ExistsAsync(string packId, string fileName, CancellationToken cancellationToken)
    {
        await ImportLegacyAsync(packId, cancellationToken);
        await using var db = contexts.CreateDbContext();
        return await db.EvidenceFileChunks.AnyAsync(c => c.PackId == packId && c.FileName == fileName, cancellationToken);
    }

    /// <summary>Writes one stored file to <paramref name="target"/>, a piece at a time.</summary>
    public async Task WriteToAsync(string packId, string fileName, Stream target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        await using var db = contexts.CreateDbContext();
        for (var index = 0; ; index++)
        {
            var content = await db.EvidenceFileChunks.AsNoTracking()
                .Where(c => c.PackId == packId && c.FileName == fileName && c.Index == index)
                .Select(c => c.Content).SingleOrDefaultAsync(cancellationToken);
            if (content is null)
                return;
            await target.WriteAsync(content, cancellationToken);
        }
    }

    /// <summary>The appendix volumes stored for each of <paramref name="packIds"/>, by number.</summary>
    public async Task<ILookup<string, int>> VolumesAsync(IReadOnlyCollection<string> packIds, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateDbContext();
        var files = await db.EvidenceFileChunks.AsNoTracking()
            .Where(c => c.Index == 0 && packIds.Contains(c.PackId) && c.FileName.StartsWith(EvidenceFiles.VolumePrefix))
            .Select(c => new { c.PackId, c.FileName }).ToListAsync(cancellationToken);
        return files.Where(f => EvidenceFiles.IsPackFile(f.FileName))
            .OrderBy(f => f.FileName, StringComparer.Ordinal)
            .ToLookup(f => f.PackId, f => EvidenceFiles.VolumeNumber(f.FileName)!.Value, StringComparer.Ordinal);
    }

    /// <summary>The pack's stored files copied into a new private folder (for the verifier); the caller deletes it.</summary>
    public async Task<string> CopyToTemporaryFolderAsync(string packId, CancellationToken cancellationToken)
    {
        await ImportLegacyAsync(packId, cancellationToken);
        List<string> names;
        await using (var db = contexts.CreateDbContext())
            names = await db.EvidenceFileChunks.Where(c => c.PackId == packId).Select(c => c.FileName).Distinct().ToListAsync(cancellationToken);
        var folder = Directory.CreateTempSubdirectory("warden-pack-").FullName;
        foreach (var name in names.Where(EvidenceFiles.IsPackFile))
        {
            await using var file = File.Create(Path.Combine(folder, name));
            await WriteToAsync(packId, name, file, cancellationToken);
        }
        return folder;
    }

    private async Task ImportLegacyAsync(string packId, CancellationToken cancellationToken)
    {
        var legacy = LegacyFolder(packId);
        if (!Directory.Exists(legacy))
            return;
        await using (var db = contexts.CreateDbContext())
        {
            if (await db.EvidenceFileChunks.AnyAsync(c => c.PackId == packId, cancellationToken))
                return;
        }
        await SaveAsync(packId, legacy, cancellationToken);
    }

    private static string Checked(string packId) =>
        !string.IsNullOrEmpty(packId) && packId.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')
            ? packId
            : throw new ArgumentException("Not a pack id.", nameof(packId));
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
