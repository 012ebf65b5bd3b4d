using System.Globalization;

namespace Warden.Tests.Guardrails;

/// <summary>True and false positives and misses of one finding kind (or family) over the corpus, counted per case.</summary>
internal sealed class CorpusScore(string name)
{
    public string Name { get; } = name;
    public int TruePositives { get; private set; }
    public int FalsePositives { get; private set; }
    public int Misses { get; private set; }
    public List<string> Errors { get; } = [];

    public double Precision => TruePositives + FalsePositives == 0 ? 1.0 : (double)TruePositives / (TruePositives + FalsePositives);
    public double Recall => TruePositives + Misses == 0 ? 1.0 : (double)TruePositives / (TruePositives + Misses);

    public void Count(string caseId, bool expected, bool found)
    {
        if (expected && found)
            TruePositives++;
        else if (found)
        {
            FalsePositives++;
            Errors.Add($"false positive in {caseId}");
        }
        else if (expected)
        {
            Misses++;
            Errors.Add($"missed in {caseId}");
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-28} TP {TruePositives,3}  FP {FalsePositives,2}  FN {Misses,2}  precision {Precision:0.000}  recall {Recall:0.000}");
}
