namespace Warden.Domain.Guardrails;

/// <summary>
/// One string handed to the scanners: a value (or a property name) with the name of the field it
/// belongs to and its JSON path. Character counts are taken once, on first use, so each scanner can
/// skip text that cannot hold what it looks for before running a pattern.
/// </summary>
public sealed class ScanText
{
    private readonly string _parentPath;
    private readonly string _segment;
    private string? _location;
    private bool _counted;
    private int _digits;
    private int _uppercase;
    private int _spaces;
    private int _longestBase64Run;
    private bool _nonAscii;

    public ScanText(string value, string location = "$", string? fieldName = null, bool isPropertyName = false)
        : this(value, location, string.Empty, fieldName, isPropertyName)
    {
    }

    internal ScanText(string value, string parentPath, string segment, string? fieldName, bool isPropertyName)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
        _parentPath = parentPath;
        _segment = segment;
        FieldName = fieldName;
        IsPropertyName = isPropertyName;
    }

    public string Value { get; }
    /// <summary>The property that holds the value (for array items, the array's property), if any.</summary>
    public string? FieldName { get; }
    public bool IsPropertyName { get; }
    public string Location => _location ??= _segment.Length == 0 ? _parentPath : _parentPath + _segment;

    public int Digits => Counted()._digits;
    public int Uppercase => Counted()._uppercase;
    /// <summary>Whitespace characters: free text has several, identifiers and keys have none.</summary>
    public int Spaces => Counted()._spaces;
    public int LongestBase64Run => Counted()._longestBase64Run;
    public bool HasNonAscii => Counted()._nonAscii;

    public bool Contains(char c) => Value.Contains(c, StringComparison.Ordinal);

    public bool Contains(string s) => Value.Contains(s, StringComparison.Ordinal);

    public Finding Finding(string kind, double confidence, string excerpt, int start, int length, string scanner) =>
        new(kind, Location, confidence, excerpt) { Scanner = scanner, Start = start, Length = length, InPropertyName = IsPropertyName };

    private ScanText Counted()
    {
        if (_counted)
            return this;
        var run = 0;
        foreach (var c in Value)
        {
            if (char.IsAsciiDigit(c))
                _digits++;
            else if (char.IsAsciiLetterUpper(c))
                _uppercase++;
            else if (char.IsWhiteSpace(c))
                _spaces++;
            else if (c > '\u007f')
                _nonAscii = true;

            run = char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '-' or '_' ? run + 1 : 0;
            if (run > _longestBase64Run)
                _longestBase64Run = run;
        }
        _counted = true;
        return this;
    }
}
