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
    private int _longestNumber;
    private int _digitDots;
    private int _colons;
    private bool _lettersThenDigits;
    private bool _nonAscii;
    private string? _folded;

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
    /// <summary>Most digits in one number written with single spaces, dashes or dots between groups (cards, SSNs, IBAN tails).</summary>
    public int LongestNumber => Counted()._longestNumber;
    public bool HasNonAscii => Counted()._nonAscii;
    /// <summary>Dots with a digit on both sides, as in <c>203.0.113.42</c>.</summary>
    public int DigitDots => Counted()._digitDots;
    public int Colons => Counted()._colons;
    /// <summary>Two letters followed by two digits somewhere, as an IBAN starts.</summary>
    public bool HasLettersThenDigits => Counted()._lettersThenDigits;

    /// <summary>
    /// The value with full-width forms (<c>ｉｇｎｏｒｅ</c>) and the ideographic space folded to ASCII,
    /// one character for one, so a match's position is its position in the value; the value itself
    /// when it holds none.
    /// </summary>
    public string Folded => _folded ??= HasNonAscii ? Fold(Value) : Value;

    private static string Fold(string value)
    {
        var first = value.AsSpan().IndexOfAnyInRange('！', '～');
        var space = value.IndexOf('　', StringComparison.Ordinal);
        if (first < 0 && space < 0)
            return value;
        return string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is >= '！' and <= '～' ? (char)(c - 0xFEE0) : c == '　' ? ' ' : c;
            }
        });
    }

    public bool Contains(char c) => Value.Contains(c, StringComparison.Ordinal);

    public bool Contains(string s) => Value.Contains(s, StringComparison.Ordinal);

    public Finding Finding(string kind, double confidence, string excerpt, int start, int length, string scanner) =>
        new(kind, Location, confidence, excerpt) { Scanner = scanner, Start = start, Length = length, InPropertyName = IsPropertyName };

    private ScanText Counted()
    {
        if (_counted)
            return this;
        var value = Value;
        var base64Run = 0;
        var number = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var previous = i > 0 ? value[i - 1] : '\0';
            if (char.IsAsciiDigit(c))
            {
                _digits++;
                number++;
                if (previous == '.' && i > 1 && char.IsAsciiDigit(value[i - 2]))
                    _digitDots++;
                if (!_lettersThenDigits && i > 2 && char.IsAsciiDigit(previous) && char.IsAsciiLetter(value[i - 2]) && char.IsAsciiLetter(value[i - 3]))
                    _lettersThenDigits = true;
            }
            else
            {
                if (!(c is ' ' or '-' or '.' && char.IsAsciiDigit(previous)))
                    number = 0;
                if (char.IsAsciiLetterUpper(c))
                    _uppercase++;
                else if (char.IsWhiteSpace(c))
                    _spaces++;
                else if (c == ':')
                    _colons++;
                else if (c > '\u007f')
                    _nonAscii = true;
            }
            _longestNumber = Math.Max(_longestNumber, number);
            base64Run = char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '-' or '_' ? base64Run + 1 : 0;
            _longestBase64Run = Math.Max(_longestBase64Run, base64Run);
        }
        _counted = true;
        return this;
    }
}
