using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Warden.Domain.Decisions;
using Warden.Domain.Guardrails.Commands;
using Warden.Domain.Guardrails.HealthData;
using Warden.Domain.Guardrails.Injection;
using Warden.Domain.Guardrails.Packs;
using Warden.Domain.Guardrails.PersonalData;
using Warden.Domain.Guardrails.Secrets;

namespace Warden.Domain.Guardrails;

/// <summary>
/// Walks a request's parameters and runs every scanner over each string (and numbers long enough to
/// be a card or phone number), reporting findings by JSON path. Reading is bounded: past
/// <see cref="GuardrailOptions.MaxCharacters"/> the rest is unchecked and a
/// <see cref="FindingKinds.InputTruncated"/> finding says so. A scanner that fails or times out
/// leaves a <c>guardrail.*</c> finding, never an exception.
/// </summary>
public sealed class GuardrailScanner
{
    private const int MinNumberLength = 9;
    private readonly GuardrailOptions _options;

    public GuardrailScanner(GuardrailOptions options)
        : this(options, BuiltInScanners(options))
    {
    }

    /// <summary>A scanner that runs exactly <paramref name="scanners"/> (for example the built-in ones plus an external detector).</summary>
    public GuardrailScanner(GuardrailOptions options, IReadOnlyList<IScanner> scanners)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scanners);
        _options = options;
        Scanners = scanners;
    }

    public static IReadOnlyList<IScanner> BuiltInScanners(GuardrailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var phrases = PackScanner.InjectionPhrases(options.InjectionPack);
        return
        [
            new EmailScanner(), new PhoneScanner(), new CardScanner(), new IbanScanner(), new SsnScanner(), new IpAddressScanner(), new HealthIdentifierScanner(),
            PackScanner.CustomPersonalData(options.CustomPersonalDataPack),
            new PrivateKeyScanner(), new CloudKeyScanner(), new BearerTokenScanner(), new JwtScanner(), new ConnectionStringScanner(),
            new HighEntropyScanner(), new KeyValueSecretScanner(),
            phrases, new StructuralInjectionScanner(), new HiddenTextScanner(), new EncodedPayloadScanner(phrases), new ExfiltrationScanner(options.AllowedHosts),
            new DestructiveCommandScanner(),
        ];
    }

    public static GuardrailScanner Default { get; } = new(new GuardrailOptions());

    /// <summary>
    /// The same scanner without the injection scanners, whose findings masking never applies (it
    /// replaces personal data and secrets only): what stored and shown texts are masked with.
    /// </summary>
    public GuardrailScanner ForMasking() => new(_options, Scanners.Where(s => s is not
        (HiddenTextScanner or EncodedPayloadScanner or ExfiltrationScanner or StructuralInjectionScanner or DestructiveCommandScanner
        or PackScanner { IsPhrases: true })).ToList());

    public IReadOnlyList<IScanner> Scanners { get; }

    public string PackVersions => $"{_options.InjectionPack.Version}, {_options.CustomPersonalDataPack.Version}";

    public IReadOnlyList<Finding> Scan(JsonElement parameters)
    {
        var walk = new Walk(this, _options);
        walk.Element(parameters, "$", string.Empty, fieldName: null);
        return walk.Findings;
    }

    /// <summary>
    /// Scans one string (an agent's output, a justification, one value) as if it were at
    /// <paramref name="location"/> in a field named <paramref name="fieldName"/>.
    /// </summary>
    public IReadOnlyList<Finding> Scan(string text, string location = "$", string? fieldName = null, bool isPropertyName = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var walk = new Walk(this, _options);
        walk.Text(text, location, string.Empty, fieldName, isPropertyName);
        return walk.Findings;
    }

    public static IReadOnlyList<GuardrailFinding> ForPolicy(IEnumerable<Finding> findings) =>
        (findings ?? throw new ArgumentNullException(nameof(findings))).Select(f => f.ToGuardrailFinding()).ToList();

    private void RunAll(ScanText text, List<Finding> findings)
    {
        foreach (var scanner in Scanners)
            Run(scanner, text, findings);
    }

    /// <summary>
    /// Runs one scanner as every scan does. A match timeout is wall-clock time: a garbage collection
    /// or a descheduled thread can spend it without the pattern being slow. One more try tells a
    /// pause from a pathological input; a second timeout stays a finding and the request is refused.
    /// </summary>
    public static void Run(IScanner scanner, ScanText text, List<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var before = findings.Count;
        RunOne(scanner, text, findings);
        if (!TimedOut(findings, before))
            return;
        findings.RemoveRange(before, findings.Count - before);
        RunOne(scanner, text, findings);
    }

    /// <summary>Runs one scanner; a timeout or a fault leaves a finding instead of an exception.</summary>
    private static void RunOne(IScanner scanner, ScanText text, List<Finding> findings)
    {
        try
        {
            scanner.Scan(text, findings);
        }
        catch (RegexMatchTimeoutException)
        {
            findings.Add(PatternMatches.TimedOut(text, scanner.Name));
        }
#pragma warning disable CA1031 // Fail closed: a scanner's fault is a finding, the request is not waved through.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            findings.Add(text.Finding(FindingKinds.ScannerFailed, 1.0, $"{scanner.Name} failed ({ex.GetType().Name})", 0, 0, scanner.Name));
        }
    }

    private static bool TimedOut(List<Finding> findings, int from)
    {
        for (var i = from; i < findings.Count; i++)
        {
            if (findings[i].Kind == FindingKinds.ScanTimeout)
                return true;
        }
        return false;
    }

    private sealed class Walk(GuardrailScanner scanner, GuardrailOptions options)
    {
        private int _characters;
        private int _strings;
        private bool _truncated;

        public List<Finding> Findings { get; } = [];

        public void Element(JsonElement element, string parentPath, string segment, string? fieldName)
        {
            if (_truncated)
                return;
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var path = parentPath + segment;
                    var index = 0;
                    foreach (var property in element.EnumerateObject())
                    {
                        var name = property.Name;
                        var propertySegment = JsonPaths.Segment(name, index++);
                        if (JsonPaths.WorthScanning(name))
                            Text(name, path, propertySegment, name, isPropertyName: true);
                        Element(property.Value, path, propertySegment, name);
                    }
                    break;
                case JsonValueKind.Array:
                    var arrayPath = parentPath + segment;
                    var i = 0;
                    foreach (var item in element.EnumerateArray())
                        Element(item, arrayPath, "[" + (i++).ToString(CultureInfo.InvariantCulture) + "]", fieldName);
                    break;
                case JsonValueKind.String:
                    Text(element.GetString() ?? string.Empty, parentPath, segment, fieldName, isPropertyName: false);
                    break;
                case JsonValueKind.Number when element.GetRawText() is { Length: >= MinNumberLength } raw:
                    Text(raw, parentPath, segment, fieldName, isPropertyName: false);
                    break;
            }
        }

        public void Text(string value, string parentPath, string segment, string? fieldName, bool isPropertyName)
        {
            if (_truncated)
                return;
            var remaining = options.MaxCharacters - _characters;
            if (value.Length > remaining || ++_strings > options.MaxStrings)
            {
                _truncated = true;
                var read = Math.Max(0, Math.Min(value.Length, remaining));
                var location = new ScanText(string.Empty, parentPath, segment, fieldName, isPropertyName);
                Findings.Add(location.Finding(FindingKinds.InputTruncated, 1.0,
                    $"read {_characters + read:N0} of more than {options.MaxCharacters:N0} characters or {options.MaxStrings:N0} strings; the rest is unchecked",
                    read, 0, "guardrail"));
                if (read == 0 || _strings > options.MaxStrings)
                    return;
                value = value[..read];
            }
            _characters += value.Length;
            if (value.Length == 0)
                return;
            scanner.RunAll(new ScanText(value, parentPath, segment, fieldName, isPropertyName), Findings);
        }
    }
}
