using System.Buffers;
using System.Globalization;
using Warden.Domain.Guardrails.Packs;

namespace Warden.Domain.Guardrails.Injection;

/// <summary>
/// Reads the structure of an injection rather than its wording: words of a few classes (an address to
/// the model, a verb that sets instructions aside, the instructions themselves, a persona switch, a claim
/// of authority, a request for secrecy) close to each other in one text. Each combination is a sign;
/// the finding's confidence grows with the signs found. A verb under negation does not count ("never
/// ignore the rules"), a compliance verb under negation does ("do not follow your rules"), and signs
/// after words that discuss injection ("classic examples ask the model to…") are not counted; a quoted
/// sign keeps most of its weight, since a quoted instruction in a document is the classic indirect
/// injection. One pass over the words, one dictionary lookup a word, windows of a few words: linear in
/// the text, no pattern engine, no allocation unless something is found.
/// </summary>
public sealed class StructuralInjectionScanner : IScanner
{
    public const string PatternPrefix = "structure.";
    private const double MaxConfidence = 0.95;
    private const int DiscussionWindow = 15;

    private static readonly SearchValues<char> ClauseBreaks = SearchValues.Create(".!?\n;:,()[]\"<>-|");

    public string Name => "injection-structure";

    public void Scan(ScanText text, ICollection<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        if (text.Spaces < 2)
            return;
        var value = text.Value;
        var lower = ArrayPool<char>.Shared.Rent(value.Length);
        var tokens = ArrayPool<Token>.Shared.Rent(value.Length / 2 + 1);
        try
        {
            var reading = new Reading(value, lower, tokens);
            var evidence = reading.Signs();
            if (evidence.Count > 0)
                findings.Add(Report(text, reading, evidence));
        }
        finally
        {
            ArrayPool<Token>.Shared.Return(tokens);
            ArrayPool<char>.Shared.Return(lower);
        }
    }

    private Finding Report(ScanText text, Reading reading, Evidence evidence)
    {
        var first = reading.Tokens[evidence.Strongest];
        var last = reading.Tokens[Math.Min(reading.Count - 1, evidence.Strongest + 5)];
        var length = last.Start + last.Length - first.Start;
        var confidence = QuotedDiscussion.Adjust(text.Value, first.Start, length, Math.Min(MaxConfidence, evidence.Confidence));
        var excerpt = string.Create(CultureInfo.InvariantCulture,
            $"{Excerpts.Phrase(text.Value.Substring(first.Start, length))} ({evidence.Count} sign{(evidence.Count == 1 ? "" : "s")}: {evidence.Names})");
        return text.Finding(FindingKinds.Structural, confidence, excerpt, first.Start, length, Name) with { PatternId = PatternPrefix + Names[(int)evidence.StrongestSign] };
    }

    internal enum Sign { Override, Persona, Audience, Authority, NewGoal, Reveal, Mode, Unrestricted }

    private static readonly string[] Names = ["override", "persona", "audience", "authority", "new-goal", "reveal", "mode", "unrestricted"];

    internal struct Token
    {
        public int Start;
        public int Length;
        public WordClass Classes;
        public int Clause;
        public bool AfterPunctuation;
        public bool Capitalised;
        public bool InAddress;
        public char Next;
    }

    private struct Evidence
    {
        private uint _signs;
        private double _none;

        public int Count { get; private set; }
        public int Strongest { get; private set; }
        public Sign StrongestSign { get; private set; }
        public double StrongestConfidence { get; private set; }
        public readonly double Confidence => Count == 0 ? 0 : 1 - _none;

        public readonly string Names
        {
            get
            {
                var signs = _signs;
                return string.Join(", ", Enum.GetValues<Sign>().Where(s => (signs & (1u << (int)s)) != 0).Select(s => StructuralInjectionScanner.Names[(int)s]));
            }
        }

        // Each kind of sign counts once; independent signs multiply the chance that none is meant.
        public void Add(Sign sign, int token, double confidence)
        {
            if (Count == 0)
                _none = 1;
            if (confidence > StrongestConfidence)
                (Strongest, StrongestSign, StrongestConfidence) = (token, sign, confidence);
            var bit = 1u << (int)sign;
            if ((_signs & bit) != 0)
                return;
            _signs |= bit;
            _none *= 1 - confidence;
            Count++;
        }
    }

    private readonly ref struct Reading
    {
        private readonly string _text;
        private readonly char[] _lower;

        public Reading(string text, char[] lower, Token[] tokens)
        {
            _text = text;
            _lower = lower;
            Tokens = tokens;
            Count = Tokenise(text, lower, tokens);
        }

        public Token[] Tokens { get; }
        public int Count { get; }

        private ReadOnlySpan<char> Word(int i) => _lower.AsSpan(Tokens[i].Start, Tokens[i].Length);

        private bool Is(int i, string word) => i >= 0 && i < Count && Word(i).SequenceEqual(word);

        private bool IsAny(int i, params ReadOnlySpan<string> words)
        {
            if (i < 0 || i >= Count)
                return false;
            var word = Word(i);
            foreach (var w in words)
            {
                if (word.SequenceEqual(w))
                    return true;
            }
            return false;
        }

        private bool Has(int i, WordClass classes) => i >= 0 && i < Count && (Tokens[i].Classes & classes) != 0;

        private int Near(int i, WordClass classes, int before, int after)
        {
            for (var k = Math.Max(0, i - before); k < Math.Min(Count, i + after + 1); k++)
            {
                if (k != i && (Tokens[k].Classes & classes) != 0)
                    return k;
            }
            return -1;
        }

        private bool NearWord(int i, int before, int after, params ReadOnlySpan<string> words)
        {
            for (var k = Math.Max(0, i - before); k < Math.Min(Count, i + after + 1); k++)
            {
                if (k != i && IsAny(k, words))
                    return true;
            }
            return false;
        }

        private bool At(int i, string[] phrase)
        {
            if (i + phrase.Length > Count)
                return false;
            for (var k = 0; k < phrase.Length; k++)
            {
                if (!Word(i + k).SequenceEqual(phrase[k]))
                    return false;
            }
            return true;
        }

        private string[]? PhraseAt(int i, string[][] phrases)
        {
            if (!Has(i, WordClass.PhraseStart))
                return null;
            foreach (var phrase in phrases)
            {
                if (At(i, phrase))
                    return phrase;
            }
            return null;
        }

        // 'act as' in quotes names the phrase ("prompts that tell a model to 'act as' …") rather than using it.
        private bool Mentioned(int i, int words)
        {
            var start = Tokens[i].Start;
            var last = Tokens[i + words - 1];
            var end = last.Start + last.Length;
            return start > 0 && IsQuote(_text[start - 1]) && end < _text.Length && IsQuote(_text[end]);
        }

        private static bool IsQuote(char c) => c is '\'' or '"' or '\u2018' or '\u2019' or '\u201c' or '\u201d';

        private bool Negated(int i)
        {
            for (var k = Math.Max(0, i - 3); k < i; k++)
            {
                if (Has(k, WordClass.Negation) || Word(k).EndsWith("n't"))
                    return true;
            }
            return false;
        }

        private bool IsTarget(int k) =>
            Has(k, WordClass.Target | WordClass.WeakTarget) || (IsAny(k, "message", "prompt") && Is(k - 1, "system"));

        // Instructions near the verb, addressed to the model ("your rules") or qualified as the earlier ones
        // ("the previous directions", "the instructions at the top of this chat", "everything above this line").
        private bool TargetNear(int i, int before, int after, out bool addressedAndEarlier)
        {
            addressedAndEarlier = false;
            for (var k = Math.Max(0, i - before); k < Math.Min(Count, i + after + 1); k++)
            {
                if (k == i)
                    continue;
                if (IsAny(k, "above", "before") && IsAny(k - 1, "everything", "all", "anything", "what"))
                    return true;
                if (!IsTarget(k) || (IsAny(k, "told", "given") && !IsAny(k - 1, "were", "been", "was")))
                    continue;
                var strong = Has(k, WordClass.Target) || IsAny(k, "message", "prompt");
                var addressed = strong
                    ? Near(k, WordClass.Address | WordClass.Model, 4, 4) >= 0 || Near(i, WordClass.Address | WordClass.Model, 4, 4) >= 0
                    : Near(k, WordClass.Address, 2, 0) >= 0 || (IsAny(k, "told", "given") && Near(k, WordClass.Address, 3, 0) >= 0);
                var earlier = Near(k, WordClass.Earlier, 3, 0) >= 0 || Near(k, WordClass.Conversation, 0, 6) >= 0;
                if (addressed || (strong && earlier))
                {
                    addressedAndEarlier = addressed && earlier;
                    return true;
                }
            }
            return false;
        }

        private bool RulesFollow(int k)
        {
            for (var j = k + 1; j < Math.Min(Count, k + 4); j++)
            {
                if (Has(j, WordClass.Target) || IsAny(j, "limits", "filter", "filters", "safety", "policy", "rulebook", "restrictions", "einschränkung",
                        "einschränkungen", "restricciones", "règles", "filtri", "filtro"))
                    return true;
            }
            return false;
        }

        public Evidence Signs()
        {
            var evidence = new Evidence();
            var lastDiscussion = -DiscussionWindow - 1;
            for (var i = 0; i < Count && evidence.Confidence < MaxConfidence; i++)
            {
                var discussed = i - lastDiscussion <= DiscussionWindow;
                if (Has(i, WordClass.Discussion) && !Tokens[i].InAddress)
                    lastDiscussion = i;
                if (discussed || (Tokens[i].Classes == WordClass.None && !IsAny(i, "new", "real", "updated", "actual", "on", "mode")))
                    continue;
                Override(i, ref evidence);
                Persona(i, ref evidence);
                Audience(i, ref evidence);
                Others(i, ref evidence);
            }
            return evidence;
        }

        private void Override(int i, ref Evidence found)
        {
            var active = (Has(i, WordClass.SetAside) && !Negated(i)) || PhraseAt(i, InjectionLexicon.SetAside) is not null
                         || (Has(i, WordClass.Comply) && Negated(i));
            if (active && TargetNear(i, 6, 10, out var both))
                found.Add(Sign.Override, i, both ? 0.8 : 0.7);
            var passive = Has(i, WordClass.SetAsidePassive)
                          || (Is(i, "no") && Is(i + 1, "longer") && IsAny(i + 2, "valid", "apply", "applies", "stand", "matter", "relevant", "binding"))
                          || (Is(i, "to") && Is(i + 1, "one") && Is(i + 2, "side"))
                          || (Is(i, "on") && Is(i + 1, "hold"));
            if (passive && TargetNear(i, 16, 0, out _))
                found.Add(Sign.Override, i, 0.7);
            if (IsAny(i, "new", "real", "updated", "actual") && Has(i - 1, WordClass.Address) && Has(i + 1, WordClass.NewGoal))
                found.Add(Sign.NewGoal, i, 0.7);
            if (Has(i, WordClass.Reveal) && !Negated(i) && !IsAny(i + 1, "how", "that", "what", "why", "whether", "where")
                && (TargetNear(i, 0, 8, out _) || (NearWord(i, 0, 8, "above", "before") && NearWord(i, 0, 10, "line", "message") && Near(i, WordClass.Address, 0, 10) >= 0)))
                found.Add(Sign.Reveal, i, 0.65);
        }

        private void Persona(int i, ref Evidence found)
        {
            if (PhraseAt(i, InjectionLexicon.Persona) is not { } phrase || Mentioned(i, phrase.Length))
                return;
            var j = i + phrase.Length;
            while (j < Count && IsAny(j, "you", "are", "you're", "will", "be", "now", "to"))
                j++;
            var pretend = phrase[0] == "pretend";
            if (pretend && TargetNear(i, 0, 4, out _))
                found.Add(Sign.Override, i, 0.65);
            var namesOnly = phrase is ["you", "are"] or ["you're"];
            for (var k = j; !namesOnly && k < Math.Min(Count, j + 10); k++)
            {
                if (Has(k, WordClass.Unrestricted) || (Has(k, WordClass.FreeOf) && RulesFollow(k)))
                {
                    found.Add(Sign.Persona, i, 0.8);
                    break;
                }
                if (Has(k, WordClass.Model) && k <= j + 2 && !Is(k, "automated"))
                {
                    found.Add(Sign.Persona, i, 0.7);
                    break;
                }
            }
            // A name: "you are now Nova", "speak as Kestrel"; not "you are now a member", "imagine a trip".
            if (j < Count && Tokens[j].Capitalised && !Tokens[j].AfterPunctuation && !Has(j, WordClass.Address) && !IsAny(j, "a", "an", "the", "i")
                && !NearWord(j, 0, 1, "of", "for", "team", "workspace") && phrase[0] is not ("imagine" or "become"))
                found.Add(Sign.Persona, i, 0.65);
            if (pretend && NearWord(i, 0, 5, "my") && Near(i, WordClass.Address, 0, 3) >= 0)
                found.Add(Sign.Persona, i, 0.6);
        }

        // The model addressed ("AI:", "note to the assistant", "any model reading this", "dear language
        // model", "if you are an AI"), then an instruction, a claim of authority or a request for secrecy.
        private void Audience(int i, ref Evidence found)
        {
            if (!Has(i, WordClass.Model | WordClass.Agent))
                return;
            var token = Tokens[i];
            var vocative = token.Next is ':' or ',' or '-' or '>' || Has(i + 1, WordClass.Header)
                           || (i + 2 < Count && Tokens[i + 1].Next == ':' && !Has(i + 1, WordClass.Address));
            vocative &= i == 0 || token.AfterPunctuation || Has(i - 1, WordClass.Greeting);
            var agent = !Has(i, WordClass.Model);
            var reading = !agent && (Near(i, WordClass.Participle, 0, 2) >= 0 || NearWord(i, 0, 3, "must", "should", "shall"));
            var toward = (IsAny(i - 1, "to", "for") || IsAny(i - 2, "to", "for") || IsAny(i - 3, "to", "for"))
                         && (Near(i, WordClass.Header, 5, 0) >= 0 || NearWord(i, 5, 0, "ps", "hidden"));
            toward |= IsAny(i - 1, "dear", "hey", "attention") || (Has(i - 1, WordClass.Participle) && IsAny(i - 2, "to", "for", "the"));
            var whoever = !agent && (IsAny(i - 1, "whatever", "whichever") || (IsAny(i - 1, "a", "an") && Is(i - 2, "are") && Is(i - 3, "you")));
            if (!(vocative || reading || toward || whoever))
                return;
            for (var k = i + 1; k < Math.Min(Count, i + 25); k++)
            {
                var startsClause = Tokens[k].Clause != Tokens[k - 1].Clause || IsAny(k - 1, "must", "should", "to", "please");
                if (Has(k, WordClass.Authority | WordClass.Target) || (Has(k, WordClass.SetAside) && !Negated(k))
                    || PhraseAt(k, InjectionLexicon.Secrecy) is not null || (Has(k, WordClass.Imperative) && startsClause))
                {
                    found.Add(Sign.Audience, i, 0.7);
                    return;
                }
            }
        }

        private void Others(int i, ref Evidence found)
        {
            // Authority given to the model: "cleared you to", "the assistant is authorised to".
            if (Has(i, WordClass.Authority) && i + 2 < Count
                && ((Has(i + 1, WordClass.Address) && Is(i + 2, "to")) || (Is(i + 1, "to") && Near(i, WordClass.Address | WordClass.Model, 3, 0) >= 0)))
                found.Add(Sign.Authority, i, 0.7);
            if (Is(i, "mode") && Has(i - 1, WordClass.RogueMode))
                found.Add(Sign.Mode, i, 0.75);
            // Freedom from rules, said to or of the one answering: "reset yourself with no rules", "answers without any restrictions".
            if (Has(i, WordClass.FreeOf) && RulesFollow(i) && !NearWord(i, 0, 4, "team")
                && (Near(i, WordClass.Address | WordClass.Model, 8, 8) >= 0 || Near(i, WordClass.Speaks, 3, 0) >= 0))
                found.Add(Sign.Unrestricted, i, 0.65);
        }

        private static int Tokenise(string text, char[] lower, Token[] tokens)
        {
            var count = 0;
            var clause = 0;
            var punctuation = true;
            var n = text.Length;
            for (var i = 0; i < n; i++)
                lower[i] = text[i] == '\u2019' ? '\'' : char.ToLowerInvariant(text[i]);
            var at = 0;
            while (at < n)
            {
                var c = text[at];
                if (!char.IsLetterOrDigit(c))
                {
                    if (ClauseBreaks.Contains(c))
                        clause++;
                    if (!char.IsWhiteSpace(c))
                        punctuation = true;
                    at++;
                    continue;
                }
                var end = at;
                while (end < n && (char.IsLetterOrDigit(text[end]) || (text[end] is '\'' or '\u2019' or '-' && end + 1 < n && char.IsLetterOrDigit(text[end + 1]))))
                    end++;
                var next = end;
                while (next < n && text[next] == ' ')
                    next++;
                tokens[count++] = new Token
                {
                    Start = at,
                    Length = end - at,
                    Classes = InjectionLexicon.Of(lower.AsSpan(at, end - at)),
                    Clause = clause,
                    AfterPunctuation = punctuation,
                    Capitalised = char.IsUpper(c),
                    InAddress = (at > 0 && text[at - 1] is '.' or '/' or '@') || (end + 1 < n && text[end] is '.' or '/' or '@' && char.IsLetterOrDigit(text[end + 1])),
                    Next = next < n ? text[next] : '\0',
                };
                punctuation = false;
                at = end;
            }
            return count;
        }
    }
}
