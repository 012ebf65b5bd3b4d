using System.Collections.Frozen;

namespace Warden.Domain.Guardrails.Injection;

/// <summary>What a word can do in an injection: address the model, set instructions aside, name them, and so on.</summary>
[Flags]
internal enum WordClass : uint
{
    None = 0,
    Address = 1 << 0,
    Model = 1 << 1,
    SetAside = 1 << 2,
    SetAsidePassive = 1 << 3,
    Comply = 1 << 4,
    Target = 1 << 5,
    WeakTarget = 1 << 6,
    Earlier = 1 << 7,
    Conversation = 1 << 8,
    FreeOf = 1 << 9,
    Unrestricted = 1 << 10,
    Authority = 1 << 11,
    Participle = 1 << 12,
    Header = 1 << 13,
    Imperative = 1 << 14,
    Negation = 1 << 15,
    Reveal = 1 << 16,
    RogueMode = 1 << 17,
    Discussion = 1 << 18,
    NewGoal = 1 << 19,
    Greeting = 1 << 20,
    Speaks = 1 << 21,
    PhraseStart = 1 << 22,
    Agent = 1 << 23,
}

/// <summary>
/// The word classes the structural scanner reads, in English and the main European languages. A word
/// may belong to several classes; lookups take a lower-cased span, so reading a text allocates nothing.
/// </summary>
internal static class InjectionLexicon
{
    private static readonly (WordClass Class, string Words)[] Classes =
    [
        (WordClass.Address, "you your yours yourself you're you'll you've du dein deine deiner deinen dich dir tu tes ton ta vos votre toi tus eres ti tuo tua tuoi tue sua suas seu seus jouw je"),
        (WordClass.Model, "ai assistant assistants model models llm llms chatbot chatbots bot bots gpt crawler crawlers summariser summarizer automated ia ki"),
        (WordClass.SetAside, "throw toss shelve escaped ignore ignoring disregard disregarding forget forgetting scrap drop reset override overriding bypass bypassing abandon discard ditch suspend nullify revoke lift wipe circumvent overlook sidestep nevermind ignoriere ignorieren vergiss ignora ignorar olvida olvide oublie oubliez ignorez dimentica dimenticare esqueça esqueca negeer vergeet"),
        (WordClass.SetAsidePassive, "ignored disregarded discarded forgotten overridden dropped withdrawn cancelled canceled void obsolete expired invalid revoked suspended lifted outdated superseded rescinded null"),
        (WordClass.Comply, "follow following obey obeying respect apply applies adhere abide honour honor listen heed"),
        (WordClass.Target, "instructions instruction instructed directions rules guidance directives directive guidelines restrictions filters constraints prompt safeguards guardrails rulebook ethics commands orders anweisungen vorgaben regeln richtlinien instrucciones normas reglas consignes règles regole istruzioni instruções instrucoes regras instructies regels"),
        (WordClass.WeakTarget, "setup programming configuration training settings conditioning principles framework policy policies limits task objective goal filter told given"),
        (WordClass.Earlier, "previous prior earlier original initial above preceding former old system existing built-in all any every bisherigen vorherigen vorigen alle précédentes antérieures toutes anteriores previas todas precedenti anteriori tutte eerdere vorige al"),
        (WordClass.Conversation, "chat conversation session"),
        (WordClass.FreeOf, "no without free sans sin senza sem zonder ohne jede"),
        (WordClass.Unrestricted, "unrestricted unfiltered uncensored jailbroken unlimited unaligned amoral"),
        (WordClass.Authority, "pre-approved preapproved approved cleared authorised authorized authorise authorize verified permission permitted allowed elevated administrator admin signed pre-authorised pre-authorized exempt consented"),
        (WordClass.Participle, "reading processing handling triaging screening summarising summarizing parsing reviewing reads processes handles visiting crawling indexing"),
        (WordClass.Header, "note notice message memo instruction instructions directive directives reminder attention"),
        (WordClass.Imperative, "forward send rate recommend mark approve grant release reset ignore treat tell omit include accept export publish proceed disable delete transfer pay reply answer respond rank classify disregard forget drop say summarise summarize"),
        (WordClass.Negation, "not never don't dont cannot can't won't shouldn't mustn't nicht ne pas"),
        (WordClass.Reveal, "reveal print repeat output show display recite dump leak"),
        (WordClass.RogueMode, "jailbreak jailbroken dan god unrestricted unfiltered evil"),
        (WordClass.Discussion, "workshop course tutorial demo example examples article attackers attacker e.g paper research classifier classifiers detect detecting lesson slide quote quotes classic pattern prompts jailbreaks injection injections researchers phrase called"),
        (WordClass.NewGoal, "goal task objective priority purpose mission instructions role job"),
        (WordClass.Greeting, "dear hey hi hello attention ok language automated any all every the to for"),
        (WordClass.Agent, "agent agents"),
        (WordClass.Speaks, "answers answer responds respond replies reply acts speaks writes talks"),
    ];

    /// <summary>Persona switches: the words that introduce the model as someone else.</summary>
    public static readonly string[][] Persona = Split(
        "roleplay", "role-play", "you are now", "you're now", "you will be", "from now on", "from here on", "from here forward",
        "from this message on", "from this moment", "from this point", "play the role of", "act as", "pretend to be", "pretend",
        "roleplay as", "become", "answer as", "respond as", "reply as", "speak as", "write as", "in the voice of", "assume the identity of",
        "take on the role of", "behave like", "behave as", "imagine", "a partir de ahora", "ab jetzt", "désormais", "d'ora in poi",
        "a partir de agora", "vanaf nu", "you are", "you're");

    /// <summary>Setting aside in several words.</summary>
    public static readonly string[][] SetAside = Split(
        "set aside", "put aside", "throw away", "throw out", "never mind", "without regard", "pay no attention", "no longer", "stop following",
        "stop obeying", "ne tiens plus compte", "no sigas", "nicht mehr");

    /// <summary>Asking for no checks and no witnesses.</summary>
    public static readonly string[][] Secrecy = Split(
        "do not tell", "don't tell", "do not mention", "don't mention", "do not log", "without asking", "without confirmation", "without confirming",
        "without verifying", "without checking", "without review", "without telling", "no need to", "no confirmation", "skip");

    private static readonly FrozenDictionary<string, WordClass> Words = Build();
    private static readonly FrozenDictionary<string, WordClass>.AlternateLookup<ReadOnlySpan<char>> Lookup = Words.GetAlternateLookup<ReadOnlySpan<char>>();

    public static WordClass Of(ReadOnlySpan<char> lowerCaseWord) =>
        Lookup.TryGetValue(lowerCaseWord, out var classes) ? classes : WordClass.None;

    private static FrozenDictionary<string, WordClass> Build()
    {
        var words = new Dictionary<string, WordClass>(StringComparer.Ordinal);
        foreach (var (wordClass, list) in Classes)
        {
            foreach (var word in list.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                words[word] = words.GetValueOrDefault(word) | wordClass;
        }
        foreach (var phrase in Persona.Concat(SetAside).Concat(Secrecy))
            words[phrase[0]] = words.GetValueOrDefault(phrase[0]) | WordClass.PhraseStart;
        return words.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string[][] Split(params string[] phrases) => phrases.Select(p => p.Split(' ')).ToArray();
}
