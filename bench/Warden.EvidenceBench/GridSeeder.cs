using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain.Agents;
using Warden.Domain.People;
using Warden.Infrastructure.Identity;
using Warden.Persistence;

namespace Warden.EvidenceBench;

/// <summary>One decision to write, and the approval request it opened (when it was held).</summary>
internal readonly record struct SeedDecision(
    string Id, string AgentId, DateTimeOffset DecidedAt, string Outcome, string State, string? OutcomeStatus, string? ReviewOf,
    bool IsViolation, SeedApproval? Approval);

/// <summary>A held decision's request: its final state (or Pending), risk, votes cast.</summary>
internal sealed record SeedApproval(string State, string RiskTier, DateTimeOffset ExpiresAt, IReadOnlyList<SeedVote> Votes);

internal readonly record struct SeedVote(string VoterId, string VoterName, string Verdict, DateTimeOffset CastAt);

/// <summary>
/// Fills the tables the approval history and the agent page read: agents registered through the
/// domain (as the directory bench does), then decisions, approval requests and votes written straight
/// into SQLite with prepared statements in large transactions, as the metrics bench writes decisions.
/// </summary>
internal static class GridSeeder
{
    private static readonly ToolDeclaration[] Tools =
    [
        new("payments.refund", [OperationKind.Write], RiskTier.High),
        new("crm.update", [OperationKind.Write], RiskTier.Medium),
        new("db.delete", [OperationKind.Delete], RiskTier.Critical),
    ];

    /// <summary>Registers <paramref name="count"/> agents owned by the demo owner; returns their ids in order.</summary>
    public static async Task<List<string>> AgentsAsync(IServiceProvider services, int count, DateTimeOffset registeredAt)
    {
        await using var scope = services.CreateAsyncScope();
        var owner = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync("owner@warden.example")
                    ?? throw new InvalidOperationException("No demo owner.");
        var candidate = new OwnerCandidate(new UserId(owner.Id), IsActive: true, HoldsAgentOwnerRole: true);
        var contexts = services.GetRequiredService<IDbContextFactory<WardenDbContext>>();
        var ids = new List<string>(count);
        for (var first = 0; first < count; first += 500)
        {
            await using var db = contexts.CreateDbContext();
            for (var i = first; i < Math.Min(count, first + 500); i++)
            {
                var profile = new AgentProfile(
                    string.Create(CultureInfo.InvariantCulture, $"Bench Agent {i:D4}"), "Refunds and account updates for the bench.", "finance",
                    ["bench", i % 2 == 0 ? "even" : "odd"], Tools, [ResourceScope.Create("crm/accounts/*").Value], 600, ImpactCaps.None);
                var agent = Agent.Register(AgentId.New(registeredAt.AddMilliseconds(i)), profile, candidate, null, registeredAt).Value;
                db.Agents.Add(agent);
                ids.Add(agent.Id.Value);
            }
            await db.SaveChangesAsync();
        }
        return ids;
    }

    public static void Write(string dataDirectory, IEnumerable<SeedDecision> decisions)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "warden.db")};Pooling=False");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous=OFF;";
            pragma.ExecuteNonQuery();
        }
        var transaction = connection.BeginTransaction();
        using var decision = Prepare(connection, transaction,
            "INSERT INTO Decisions (Id, AgentId, DecidedAt, Tool, Operation, Resource, Parameters, Records, Amount, Currency, ImpactDeclared, Justification, " +
            "Outcome, State, Reasons, RiskTier, PolicyVersion, MatchedRuleId, IsViolation, ViolationSeverity, RequestDigest, RequiredApprovals, ExpiresAt, " +
            "OutcomeStatus, OutcomeAt, ReviewOf, Version) VALUES ($id, $agent, $at, $tool, $op, $resource, $parameters, 3, '125.5', 'EUR', 3, 'Customer asked for it.', " +
            "$outcome, $state, $reasons, $risk, 'v12', $rule, $violation, $severity, 'digest', $required, $expires, $status, $outcomeAt, $reviewOf, 0)",
            "$id", "$agent", "$at", "$tool", "$op", "$resource", "$parameters", "$outcome", "$state", "$reasons", "$risk", "$rule", "$violation", "$severity",
            "$required", "$expires", "$status", "$outcomeAt", "$reviewOf");
        using var approval = Prepare(connection, transaction,
            "INSERT INTO ApprovalRequests (Id, DecisionId, AgentId, OwnerId, RequiredApprovals, EligibleRole, RiskTier, RuleId, OpenedAt, ExpiresAt, State, " +
            "ResolvedAt, ResolutionReason, Version) VALUES ($id, $decision, $agent, 'bench-owner', $required, 'SecurityOfficer', $risk, 'hold-high-risk', " +
            "$opened, $expires, $state, $resolved, $reason, 0)",
            "$id", "$decision", "$agent", "$required", "$risk", "$opened", "$expires", "$state", "$resolved", "$reason");
        using var vote = Prepare(connection, transaction,
            "INSERT INTO ApprovalVotes (VoterId, VoterMailbox, VoterName, Verdict, Reason, CastAt, RequestId) VALUES ($voter, $mailbox, $name, $verdict, 'checked', $at, $request)",
            "$voter", "$mailbox", "$name", "$verdict", "$at", "$request");

        var written = 0;
        foreach (var d in decisions)
        {
            var tool = Tools[(int)((uint)d.Id.GetHashCode(StringComparison.Ordinal) % 3)];
            var held = d.Approval;
            Set(decision, d.Id, d.AgentId, d.DecidedAt.UtcTicks, tool.Name, tool.Operations[0].ToString().ToLowerInvariant(),
                string.Create(CultureInfo.InvariantCulture, $"crm/accounts/{written % 5000}"),
                """{"account":"[email:5e1f0a22]","note":"refund of order 4471"}""", d.Outcome, d.State,
                d.Outcome == "Allow" ? """[{"code":"allowed_by_policy","message":"Allowed by rule allow-low-risk."}]"""
                : d.Outcome == "Deny" ? """[{"code":"tool_not_allowed","message":"The tool is not on the agent's allowlist."}]"""
                : """[{"code":"approval_required","message":"Rule hold-high-risk holds this for an officer."}]""",
                (held?.RiskTier ?? tool.Risk.ToString()).ToLowerInvariant(), held is null ? "allow-low-risk" : "hold-high-risk", d.IsViolation ? 1 : 0,
                d.IsViolation ? "Medium" : null, held is null ? 0 : held.RiskTier == "Critical" ? 2 : 1, held?.ExpiresAt.UtcTicks,
                d.OutcomeStatus, d.OutcomeStatus is null ? null : d.DecidedAt.AddSeconds(2).UtcTicks, d.ReviewOf);
            decision.ExecuteNonQuery();
            if (held is not null)
            {
                var requestId = "apr_" + d.Id[(d.Id.IndexOf('_', StringComparison.Ordinal) + 1)..];
                var resolved = held.State == "Pending" ? (long?)null
                    : held.Votes.Count > 0 ? held.Votes[^1].CastAt.UtcTicks
                    : held.State == "Expired" ? held.ExpiresAt.UtcTicks : d.DecidedAt.AddMinutes(3).UtcTicks;
                Set(approval, requestId, d.Id, d.AgentId, held.RiskTier == "Critical" ? 2 : 1, held.RiskTier, d.DecidedAt.UtcTicks, held.ExpiresAt.UtcTicks,
                    held.State, resolved, held.State switch { "Expired" => "No decision before the deadline.", "Cancelled" => "The agent was contained.", _ => null });
                approval.ExecuteNonQuery();
                foreach (var v in held.Votes)
                {
                    Set(vote, v.VoterId, v.VoterId + "@bench.example", v.VoterName, v.Verdict, v.CastAt.UtcTicks, requestId);
                    vote.ExecuteNonQuery();
                }
            }
            if (++written % 100_000 == 0)
            {
                transaction.Commit();
                transaction.Dispose();
                transaction = connection.BeginTransaction();
                decision.Transaction = approval.Transaction = vote.Transaction = transaction;
            }
        }
        transaction.Commit();
        transaction.Dispose();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var name in names)
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }

    private static void Set(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
