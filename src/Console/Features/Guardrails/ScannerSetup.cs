using Warden.Domain.Guardrails;
using Warden.Domain.Guardrails.Packs;
using Warden.Infrastructure.Hosting;

namespace Warden.Features.Guardrails;

/// <summary>Builds the one scanner every request, output and stored text goes through, from the <c>Guardrails</c> settings.</summary>
public static class ScannerSetup
{
    public static GuardrailScanner Create(GuardrailSettings settings, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = new GuardrailOptions
        {
            MaxCharacters = settings.MaxCharacters,
            AllowedHosts = settings.AllowedHosts.Select(h => h.Trim().ToLowerInvariant()).Where(h => h.Length > 0).ToArray(),
            InjectionPack = Extend(PatternPack.BuiltIn(PatternPack.InjectionV1), settings.InjectionPackFile, "InjectionPackFile", contentRoot),
            CustomPersonalDataPack = Extend(PatternPack.BuiltIn(PatternPack.CustomPiiV1), settings.PersonalDataPackFile, "PersonalDataPackFile", contentRoot),
        };
        return new GuardrailScanner(options);
    }

    private static PatternPack Extend(PatternPack builtIn, string? file, string setting, string contentRoot)
    {
        if (string.IsNullOrWhiteSpace(file))
            return builtIn;
        var path = Path.GetFullPath(file, contentRoot);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"Guardrails:{setting} '{path}' cannot be read: {ex.Message}", ex);
        }
        var pack = PatternPack.Parse(json);
        return pack.IsSuccess
            ? builtIn.Merge(pack.Value)
            : throw new StartupException($"Guardrails:{setting} '{path}' is not a valid pattern pack: {pack.Error.Message}");
    }
}
