using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Warden.Domain.Audit;
using Warden.Infrastructure.Cluster;

namespace Warden.Features.AuditLog;

/// <summary>
/// The external record of sealed heads (<see cref="AuditOptions.SealSinkPath"/>): each seal is appended
/// as one line, "sequence hash ticks signature", to this instance's file in the folder, after its
/// commit. Whoever can rewrite the database cannot take back a line here, so a chain truncated or
/// replaced together with its seals no longer contains the heads recorded here.
/// </summary>
public sealed partial class AuditSealSink(IOptions<AuditOptions> options, IOptions<ClusterOptions> cluster, ILogger<AuditSealSink> logger) : IDisposable
{
    public const string Extension = ".seals";

    private readonly Lock _write = new();
    private FileStream? _file;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.SealSinkPath);

    /// <summary>Appends the seals among <paramref name="added"/>. A failure is logged: the commit it follows is already durable.</summary>
    public void Append(IEnumerable<object> added)
    {
        if (!IsConfigured)
            return;
        var lines = new StringBuilder();
        foreach (var seal in added.OfType<AuditCheckpoint>())
            lines.Append(CultureInfo.InvariantCulture, $"{seal.Sequence} {seal.Hash} {seal.At.UtcTicks} {seal.Signature}\n");
        if (lines.Length == 0)
            return;
        try
        {
            lock (_write)
            {
                _file ??= Open();
                _file.Write(Encoding.ASCII.GetBytes(lines.ToString()));
                _file.Flush(flushToDisk: false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            SinkMessages.AppendFailed(logger, ex, options.Value.SealSinkPath!);
        }
    }

    /// <summary>The newest head of every file in the sink (each instance's last line that parses).</summary>
    public IReadOnlyList<AuditCheckpoint> ReadHeads()
    {
        if (!IsConfigured || !Directory.Exists(options.Value.SealSinkPath))
            return [];
        var heads = new List<AuditCheckpoint>();
        foreach (var path in Directory.EnumerateFiles(options.Value.SealSinkPath!, "*" + Extension))
        {
            AuditCheckpoint? newest = null;
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            while (reader.ReadLine() is { } line)
            {
                if (Parse(line) is { } head && (newest is null || head.Sequence >= newest.Sequence))
                    newest = head;
            }
            if (newest is not null)
                heads.Add(newest);
        }
        return heads;
    }

    public void Dispose()
    {
        lock (_write)
            _file?.Dispose();
    }

    /// <summary>A line as written by <see cref="Append"/>; null for a torn or foreign line.</summary>
    internal static AuditCheckpoint? Parse(string line)
    {
        var parts = line.Split(' ');
        if (parts.Length != 4
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || parts[1].Length != 64 || parts[3].Length != 64)
            return null;
        return AuditCheckpoint.Restore(sequence, parts[1], new DateTimeOffset(ticks, TimeSpan.Zero), parts[3]);
    }

    private FileStream Open()
    {
        Directory.CreateDirectory(options.Value.SealSinkPath!);
        var name = string.Concat(cluster.Value.InstanceName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        var path = Path.Combine(options.Value.SealSinkPath!, (name.Length == 0 ? "warden" : name) + Extension);
        return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }
}

internal static partial class SinkMessages
{
    [LoggerMessage(Level = LogLevel.Error, Message = "A sealed head could not be appended to the external sink {Path}; the chain in the database is sealed, but the sink is behind.")]
    public static partial void AppendFailed(ILogger logger, Exception exception, string path);
}
