using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain;
using Warden.Domain.Audit;
using Warden.Features.AuditLog;
using Warden.Features.Evidence;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.Evidence;

/// <summary>An app whose packs read rows ten at a time, so any period of the tests spans several batches.</summary>
public sealed class EvidenceAppFactory : WardenAppFactory
{
    public const int BatchSize = 10;

    public const int SeededEvents = 25;

    private readonly SemaphoreSlim _once = new(1, 1);
    private EvidencePackRow? _shared;

    public EvidenceAppFactory()
        : base(new Dictionary<string, string?>
        {
            ["Evidence:BatchSize"] = BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The demo agents stay idle, so the records of a tested period change only when a test changes them.
            ["Demo:RunAgents"] = "false",
        })
    {
    }

    public string SharedKind { get; } = "evidence_test.shared";

    /// <summary>One pack over <see cref="SeededEvents"/> seeded events, built once for the tests that only read it.</summary>
    public async Task<EvidencePackRow> SharedPackAsync()
    {
        await _once.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_shared is null)
            {
                await EvidenceScenario.SeedEventsAsync(this, SeededEvents, "shared");
                await EvidenceScenario.SeedPersonAsync(this, EvidenceScenario.NonLatinName);
                _shared = await EvidenceScenario.GenerateAsync(this, DemoAccounts.Auditor, EvidenceScenario.Today(this));
            }
            return _shared;
        }
        finally
        {
            _once.Release();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        _once.Dispose();
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Seeds audit events with personal data and builds packs through the services, as people would.</summary>
internal static class EvidenceScenario
{
    public const string SeededEmail = "jane.doe@example.com";
    public const string SeededCard = "4111111111111111";

    /// <summary>Appends <paramref name="count"/> events by a person whose name is an e-mail, about a card number; returns the subject's marker.</summary>
    public static async Task<string> SeedEventsAsync(WardenAppFactory app, int count, string marker)
    {
        var writer = app.Services.GetRequiredService<AuditWriter>();
        var contexts = app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>();
        await using var db = await contexts.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var entries = Enumerable.Range(1, count)
            .Select(i => AuditEntry.Of(AuditActor.Person("person-" + marker, SeededEmail), "evidence_test." + marker, $"card {SeededCard} #{i}",
                new { note = $"paid with {SeededCard}", contact = SeededEmail }))
            .ToList();
        await writer.AppendAsync(db, entries, TestContext.Current.CancellationToken);
        return "evidence_test." + marker;
    }

    public const string NonLatinName = "Łukasz Żółć-Ωμέγα";

    /// <summary>One event by a person whose name is not in Latin-1, to check that the PDF prints it as written.</summary>
    public static async Task SeedPersonAsync(WardenAppFactory app, string name)
    {
        var writer = app.Services.GetRequiredService<AuditWriter>();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        await writer.AppendAsync(db, [AuditEntry.Of(AuditActor.Person("person-unicode", name), "evidence_test.unicode", "unicode", new { })], TestContext.Current.CancellationToken);
    }

    public static async Task<EvidencePackRow> GenerateAsync(WardenAppFactory app, string email, EvidenceRequest request)
    {
        var requested = await app.AsUserAsync<EvidenceService, Result<EvidencePackRow>>(email, s => s.GenerateAsync(request, TestContext.Current.CancellationToken));
        requested.IsSuccess.ShouldBeTrue(requested.Error.ToString());
        return await WaitAsync(app, requested.Value.Id);
    }

    /// <summary>Waits for the background job (Hangfire's worker) to finish the pack.</summary>
    public static async Task<EvidencePackRow> WaitAsync(WardenAppFactory app, string packId)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var packs = await app.AsUserAsync<EvidenceService, Result<IReadOnlyList<EvidencePackRow>>>(DemoAccounts.Officer, s => s.GetPacksAsync(TestContext.Current.CancellationToken));
            var pack = packs.Value.Single(p => p.Id == packId);
            if (pack.Status is EvidencePackStatus.Completed or EvidencePackStatus.Failed)
                return pack;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        throw new TimeoutException($"Pack {packId} was not built.");
    }

    public static EvidenceRequest Today(WardenAppFactory app)
    {
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        return new EvidenceRequest(EvidenceScope.Everything, null, now.AddHours(-1), now.AddHours(1));
    }

    /// <summary>How the pack prints <paramref name="text"/>: through the same masking as the pack, whatever its rule.</summary>
    public static string Masked(WardenAppFactory app, string text) =>
        app.Services.GetRequiredService<Warden.Features.Guardrails.Masking>().Text(text);

    /// <summary>The pack's files as stored in the database, copied into a folder of the app's data folder.</summary>
    public static async Task<string> FolderAsync(WardenAppFactory app, string packId)
    {
        var store = app.Services.GetRequiredService<EvidenceStore>();
        var folder = Directory.CreateDirectory(Path.Combine(app.DataDirectory, "test-copies", Guid.NewGuid().ToString("N"))).FullName;
        List<string> names;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken))
            names = await db.EvidenceFileChunks.Where(c => c.PackId == packId && c.Index == 0).Select(c => c.FileName).ToListAsync(TestContext.Current.CancellationToken);
        foreach (var name in names)
        {
            await using var file = File.Create(Path.Combine(folder, name));
            await store.WriteToAsync(packId, name, file, TestContext.Current.CancellationToken);
        }
        return folder;
    }

    /// <summary>The appendix volumes of a pack folder, in order.</summary>
    public static IReadOnlyList<string> Volumes(string folder) =>
        [.. Directory.GetFiles(folder).Where(f => EvidenceFiles.VolumeNumber(f) is not null).Order(StringComparer.Ordinal)];

    /// <summary>The text of the pack's PDF and of every appendix volume, as PdfPig reads it.</summary>
    public static string PdfText(string folder)
    {
        var text = new System.Text.StringBuilder();
        foreach (var path in (string[])[Path.Combine(folder, EvidenceFiles.Pdf), .. Volumes(folder)])
        {
            using var pdf = UglyToad.PdfPig.PdfDocument.Open(path);
            foreach (var page in pdf.GetPages())
                text.Append(page.Text).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Alters a stored file in the database: appends bytes after its last piece.</summary>
    public static async Task TamperAsync(WardenAppFactory app, string packId, string fileName)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var last = await db.EvidenceFileChunks.Where(c => c.PackId == packId && c.FileName == fileName).MaxAsync(c => c.Index, TestContext.Current.CancellationToken);
        db.EvidenceFileChunks.Add(new EvidenceFileChunk(packId, fileName, last + 1, "tampered"u8.ToArray()));
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>A copy of a pack folder to tamper with.</summary>
    public static string CopyOf(string folder)
    {
        var copy = Directory.CreateTempSubdirectory("warden-pack-").FullName;
        foreach (var file in Directory.GetFiles(folder))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }
}
