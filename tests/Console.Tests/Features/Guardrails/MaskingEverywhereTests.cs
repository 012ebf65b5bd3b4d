using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Warden.Domain;
using Warden.Features.Approvals;
using Warden.Features.AuditLog;
using Warden.Features.Decisions;
using Warden.Features.Guardrails;
using Warden.Tests.Support;
using static Warden.Tests.Features.Decisions.AgentApiClient;

namespace Warden.Tests.Features.Guardrails;

/// <summary>
/// Raw personal data and secrets sent by an agent never reach the database file, the logs or what
/// the pages show or evidence packs: the SQLite file (and its write-ahead log) and the pack's files are searched byte for byte.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class MaskingEverywhereTests
{
    private const string Email = "olivia.rawvalue@example.com";
    private const string Card = "5555 5555 5555 4444";
    private const string Iban = "GB82 WEST 1234 5698 7654 32";
    private const string CloudKey = "AKIAIOSFODNN7EXAMPLE";
    private const string DbPassword = "Zq8#Lr2!Vx6@Np4$";

    private static readonly string[] RawValues =
        [Email, Card, Card.Replace(" ", "", StringComparison.Ordinal), Iban, Iban.Replace(" ", "", StringComparison.Ordinal), CloudKey, DbPassword];

    [Fact]
    public async Task RawValuesFromRequestsAndOutputs_ReachNeitherTheDatabaseNorTheLogsNorThePagesNorEvidencePacks()
    {
        await using var app = new LoggingAppFactory();
        var agent = await RegisterAsync(app, GuardrailApiTests.MailingDraft());
        using var client = Client(app, agent.Token);

        // An allowed read whose resource and justification carry personal data.
        using var allowed = await DecideAsync(client, new
        {
            tool = "crm.read", operation = "read", resource = $"crm/accounts/{Email}",
            parameters = new { customer = Email, card = Card, iban = Iban },
            justification = $"customer {Email} paid with {Card}",
        });
        var allowedId = (await JsonOf(allowed)).GetProperty("id").GetString()!;
        // A request held for an officer (its card shows the masked parameters) and one denied for a secret.
        using var held = await DecideAsync(client, Body("mail.send", "read", "mail/outbox/9",
            parameters: new { to = "someone@elsewhere.example", body = $"{Email} {Card} {Iban}" }));
        using var denied = await DecideAsync(client, Body(parameters: new { connection = $"Server=db;User Id=sa;Password={DbPassword};", key = CloudKey }));
        using var review = await GuardrailApiTests.ReviewAsync(client, allowedId, new { text = $"Sent to {Email}: card {Card}, IBAN {Iban}, key {CloudKey}" });
        (await JsonOf(held)).GetProperty("outcome").GetString().ShouldBe("pending");
        (await JsonOf(denied)).GetProperty("outcome").GetString().ShouldBe("deny");
        (await JsonOf(review)).GetProperty("outcome").GetString().ShouldBe("deny");

        var pages = new StringBuilder();
        pages.Append(Serialize(await app.AsUserAsync<ApprovalService, Result<IReadOnlyList<ApprovalCard>>>(DemoAccounts.Officer, s => s.GetQueueAsync())));
        pages.Append(Serialize(await app.AsUserAsync<ApprovalService, Result<IReadOnlyList<ApprovalCard>>>(DemoAccounts.Owner, s => s.GetForAgentAsync(agent.Id))));
        pages.Append(Serialize(await app.AsUserAsync<AgentActivityService, Result<AgentActivity>>(DemoAccounts.Owner, s => s.GetActivityAsync(agent.Id))));
        pages.Append(Serialize(await app.AsUserAsync<AuditLogService, Result<AuditPage>>(DemoAccounts.Auditor, s => s.GetPageAsync(new AuditQuery(Subject: agent.Id)))));
        pages.Append(Serialize(await app.AsUserAsync<GuardrailReviewService, Result<IReadOnlyList<FindingRow>>>(DemoAccounts.Auditor,
            s => s.GetFindingsAsync(new FindingFilter(Review: null, AgentId: agent.Id)))));
        var shown = pages.ToString();
        shown.ShouldContain("[email:");
        shown.ShouldContain("[card:");
        shown.ShouldContain("[iban:");

        // An evidence pack of the period: its PDF (as text and as bytes), its export and its manifest.
        var pack = await Evidence.EvidenceScenario.GenerateAsync(app, DemoAccounts.Auditor, Evidence.EvidenceScenario.Today(app));
        pack.Status.ShouldBe(Warden.Features.Evidence.EvidencePackStatus.Completed, pack.Error);
        var folder = await Evidence.EvidenceScenario.FolderAsync(app, pack.Id);
        string pdfText;
        using (var pdf = UglyToad.PdfPig.PdfDocument.Open(Path.Combine(folder, Warden.Features.Evidence.EvidenceFiles.Pdf)))
            pdfText = string.Join('\n', pdf.GetPages().Select(p => p.Text));
        pdfText.ShouldContain(agent.Id);
        await using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(Path.Combine(folder, Warden.Features.Evidence.EvidenceFiles.Export)),
                                                                     System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var export = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
        export.ShouldContain("[email:");
        var artifacts = Directory.GetFiles(folder).Select(File.ReadAllBytes).Append(Encoding.UTF8.GetBytes(export)).ToList();

        SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(app.DataDirectory, "*.db*").Select(File.ReadAllBytes).ToList();
        files.ShouldNotBeEmpty();
        var logs = string.Join('\n', app.Logs);
        foreach (var raw in RawValues)
        {
            var bytes = Encoding.UTF8.GetBytes(raw);
            files.Count(file => Contains(file, bytes)).ShouldBe(0, $"'{raw}' is in the database file");
            logs.ShouldNotContain(raw, Case.Sensitive, $"'{raw}' is in the logs");
            shown.ShouldNotContain(raw, Case.Sensitive, $"'{raw}' is in what the pages show");
            pdfText.ShouldNotContain(raw, Case.Sensitive, $"'{raw}' is in the evidence PDF");
            artifacts.Count(file => Contains(file, bytes)).ShouldBe(0, $"'{raw}' is in an evidence artifact");
        }
    }

    private static bool Contains(byte[] file, byte[] value) => file.AsSpan().IndexOf(value) >= 0;

    private static string Serialize<T>(Result<T> result)
    {
        result.IsSuccess.ShouldBeTrue(result.IsFailure ? result.Error.ToString() : null);
        return JsonSerializer.Serialize(result.Value);
    }

    /// <summary>The app with every log message of every category kept, down to Debug.</summary>
    private sealed class LoggingAppFactory() : WardenAppFactory(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Debug" })
    {
        public ConcurrentQueue<string> Logs { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(new Capture(Logs)));
        }

        private sealed class Capture(ConcurrentQueue<string> logs) : ILoggerProvider, ILogger
        {
            public ILogger CreateLogger(string categoryName) => this;
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Enqueue(formatter(state, exception) + (exception is null ? string.Empty : "\n" + exception));

            public void Dispose()
            {
            }
        }
    }
}
