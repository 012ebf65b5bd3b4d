using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using DynamicExpresso;
using DynamicExpresso.Exceptions;
using Warden.Domain.Agents;
using Warden.Domain.Decisions;
using Warden.Domain.Policies;

namespace Warden.Features.Policies;

/// <summary>
/// <c>when</c> expressions: C#-like boolean expressions over read-only views of the request, the
/// agent, its usage and the time, compiled and type-checked once when a policy is loaded. Locked
/// down: no assignment, no reflection, no types beyond the views and the helpers <c>glob</c>,
/// <c>matches</c> (regex with a 50 ms timeout) and <c>cidr</c>; length and nesting are bounded
/// before parsing. A fault at evaluation (a regex out of time) fails the decision closed.
/// </summary>
public static class PolicyExpressions
{
    public const int MaxLength = 1_000;
    public const int MaxNesting = 12;
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    /// <summary>Compiles <paramref name="text"/>; a problem is thrown as <see cref="PolicyExpressionException"/> with a readable message.</summary>
    public static Func<DecisionContext, RiskTier, bool> Compile(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
            throw new PolicyExpressionException($"an expression has at most {MaxLength} characters.");
        var depth = 0;
        foreach (var c in text)
        {
            depth += c is '(' or '[' or '{' ? 1 : c is ')' or ']' or '}' ? -1 : 0;
            if (depth > MaxNesting)
                throw new PolicyExpressionException($"an expression nests at most {MaxNesting} brackets deep.");
        }
        var interpreter = new Interpreter(InterpreterOptions.SystemKeywords)
            .EnableAssignment(AssignmentOperators.None)
            .SetFunction("glob", (Func<string, string, bool>)Glob)
            .SetFunction("matches", (Func<string, string, bool>)Matches)
            .SetFunction("cidr", (Func<string, string, bool>)Cidr);
        Func<RequestFacts, AgentFacts, UsageFacts, TimeFacts, bool> compiled;
        try
        {
            compiled = interpreter.ParseAsDelegate<Func<RequestFacts, AgentFacts, UsageFacts, TimeFacts, bool>>(text, "request", "agent", "usage", "time");
        }
        catch (Exception ex) when (ex is ParseException or InvalidOperationException or ArgumentException or NotSupportedException or ReflectionNotAllowedException)
        {
            throw new PolicyExpressionException(Describe(ex));
        }
        return (context, risk) => compiled(new RequestFacts(context.Request, context.Findings), new AgentFacts(context.Agent, risk),
                                           new UsageFacts(context.Usage), new TimeFacts(context.Now));
    }

    private static string Describe(Exception ex)
    {
        var message = ex.Message.Trim().TrimEnd('.');
        return (message.Length == 0 ? "the expression is not valid" : char.ToLowerInvariant(message[0]) + message[1..]) + ".";
    }

    /// <summary><c>*</c> is one path segment, <c>**</c> (last) any remainder, as in resource scopes.</summary>
    private static bool Glob(string pattern, string text) =>
        pattern is not null && text is not null && ResourceScope.Create(pattern) is { IsSuccess: true } scope && scope.Value.Matches(text);

    private static bool Matches(string text, string pattern)
    {
        if (text is null || pattern is null)
            return false;
        var regex = Patterns.Count < 1_000
            ? Patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, RegexTimeout))
            : new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, RegexTimeout);
        try
        {
            return regex.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            // The timeout is wall-clock time, which a pause can spend; the pattern is linear-time
            // (non-backtracking), so a second timeout is real and propagates: the decision is a deny.
            return regex.IsMatch(text);
        }
    }

    private static bool Cidr(string address, string range)
    {
        if (address is null || range is null || !IPAddress.TryParse(address, out var ip))
            return false;
        return IPNetwork.TryParse(range, out var network) && network.Contains(ip);
    }

    /// <summary>What a <c>when</c> expression sees of the request.</summary>
    public sealed class RequestFacts(DecisionRequest request, IReadOnlyList<GuardrailFinding> findings)
    {
        public string Tool => request.Tool;
        public string Operation => OperationNames.Name(request.Operation);
        public string Resource => request.Resource;
        public decimal Amount => request.Impact.Amount;
        public int Records => request.Impact.Records;
        public string Currency => request.Impact.Currency ?? string.Empty;

        /// <summary>Whether a guardrail finding of this family or kind (e.g. "secret", "pii.email") is present.</summary>
        public bool HasFinding(string kind) => kind is not null && findings.Any(f => PolicyMatch.KindMatches(kind, f.Kind));
    }

    /// <summary>What a <c>when</c> expression sees of the agent.</summary>
    public sealed class AgentFacts(AgentView agent, RiskTier risk)
    {
        public string Id => agent.Id.Value;
        public string Segment => agent.Segment;
        public int AutonomyLevel => agent.AutonomyLevel;
        public string Risk => risk.ToString().ToLowerInvariant();

        public bool HasTag(string tag) => tag is not null && agent.Tags.Contains(tag, StringComparer.Ordinal);
    }

    /// <summary>What the agent has used already.</summary>
    public sealed class UsageFacts(UsageView usage)
    {
        public int RequestsThisMinute => usage.RequestsThisMinute;
        public long RecordsToday => usage.RecordsToday;
        public decimal AmountToday => usage.AmountToday;
    }

    /// <summary>The decision's time, in UTC or in a named time zone.</summary>
    public sealed class TimeFacts(DateTimeOffset now)
    {
        public int Hour => now.UtcDateTime.Hour;
        public string Day => Name(now.UtcDateTime.DayOfWeek);

        public int HourIn(string zone) => Local(zone).Hour;

        public string DayIn(string zone) => Name(Local(zone).DayOfWeek);

        private DateTime Local(string zone) => TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById(zone)).DateTime;

        private static string Name(DayOfWeek day) => day.ToString()[..3].ToLowerInvariant();
    }
}

public sealed class PolicyExpressionException(string message) : Exception(message);
