using System.Text.RegularExpressions;

namespace Warden.Domain.Guardrails.Packs;

/// <summary>One validated pattern of a pack. It runs on the non-backtracking engine, so its cost is linear in the text.</summary>
public sealed class PackPattern
{
    internal PackPattern(string id, string kind, string pattern, double confidence, Regex regex)
    {
        Id = id;
        Kind = kind;
        Pattern = pattern;
        Confidence = confidence;
        Regex = regex;
    }

    public string Id { get; }
    public string Kind { get; }
    public string Pattern { get; }
    public double Confidence { get; }
    internal Regex Regex { get; }
}
