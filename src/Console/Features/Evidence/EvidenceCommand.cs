namespace Warden.Features.Evidence;

/// <summary>
/// <c>evidence verify DIR [--key PUBLIC-KEY.pem]</c>: checks a pack folder offline. Exit code 0 when
/// everything matches; 1 with one line per mismatch otherwise; 2 when the command is malformed.
/// </summary>
public static class EvidenceCommand
{
    public const string Usage = "usage: evidence verify <pack folder> [--key <public key .pem>]";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (args is not ["verify", var folder, .. var rest] || rest is not ([] or ["--key", _]))
        {
            await errors.WriteLineAsync(Usage);
            return 2;
        }
        if (!Directory.Exists(folder))
        {
            await errors.WriteLineAsync($"{folder}: no such folder.");
            return 2;
        }
        string? trusted = null;
        if (rest is ["--key", var keyPath])
        {
            if (!File.Exists(keyPath))
            {
                await errors.WriteLineAsync($"{keyPath}: no such key file.");
                return 2;
            }
            trusted = await File.ReadAllTextAsync(keyPath);
        }
        else
        {
            await output.WriteLineAsync($"note: trusting the {EvidenceFiles.PublicKey} shipped with the pack; pass --key with Warden's published key to check it too.");
        }

        var report = EvidencePackVerifier.Verify(folder, trusted);
        foreach (var line in report.Passed)
            await output.WriteLineAsync($"ok: {line}");
        foreach (var line in report.Mismatches)
            await output.WriteLineAsync($"MISMATCH: {line}");
        await output.WriteLineAsync(report.Verified
            ? $"Pack {report.PackId} verifies: every artifact matches its signed manifest."
            : $"Pack {report.PackId ?? "(unknown)"} does NOT verify: {report.Mismatches.Count} mismatches.");
        return report.Verified ? 0 : 1;
    }
}
