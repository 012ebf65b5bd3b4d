using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Warden.Domain.Audit;
using Warden.Features.AuditLog;
using Warden.Features.AuditLog.Stream;
using Warden.Persistence;
using Warden.Tests.Support;

namespace Warden.Tests.Features.AuditLog;

/// <summary>
/// The audit log streamed to a SIEM's syslog receiver on a real TCP port: every event, in order, at
/// least once, from a persisted cursor; across a receiver restart with no gap; over TLS.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AuditStreamTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryEvent_ReachesTheReceiver_AndAReceiverRestart_LeavesNoGap()
    {
        await using var siem = new SyslogListener();
        siem.Start();
        await using var app = WardenAppFactory.With(Settings(siem.Port));
        await AppendAsync(app, 5, "first");
        var before = await NewestAsync(app);
        await WaitForAsync(() => Sequences(siem).Contains(before), "the events written before the restart");

        await siem.StopAsync();
        await AppendAsync(app, 20, "while the receiver is down");
        await WaitForAsync(async () => (await StatusAsync(app)).Failing, "the stream to be shown as failing");
        siem.Start();
        await AppendAsync(app, 5, "after");
        var newest = await NewestAsync(app);
        await WaitForAsync(() => Sequences(siem).Contains(newest), "every event after the restart");

        var received = Sequences(siem);
        Enumerable.Range(1, (int)newest).Select(n => (long)n).Except(received).ShouldBeEmpty("no event may be missing");
        siem.Connections.ShouldBeGreaterThanOrEqualTo(2);
        await WaitForAsync(async () => await StatusAsync(app) is { Failing: false } state && state.Delivered >= newest, "the cursor to reach the newest event");
        (await StatusAsync(app)).Destination.ShouldBe($"tcp://127.0.0.1:{siem.Port}");
    }

    [Fact]
    public async Task EachMessage_IsRfc5424_WithTheWholeEventAsJson()
    {
        await using var siem = new SyslogListener();
        siem.Start();
        await using var app = WardenAppFactory.With(Settings(siem.Port));
        await AppendAsync(app, 1, "shape");
        var newest = await NewestAsync(app);
        await WaitForAsync(() => Sequences(siem).Contains(newest), "the event");

        var message = siem.Messages.Last(m => Sequence(m) == newest);
        var (header, json) = Split(message);
        var fields = header.Split(' ');
        fields[0].ShouldBe("<109>1", "facility 13 (log audit) with severity notice");
        DateTimeOffset.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        fields[3].ShouldBe("warden");
        fields[5].ShouldBe("stream.test");
        fields[6].ShouldBe("-");
        var root = JsonDocument.Parse(json).RootElement;
        root.GetProperty("kind").GetString().ShouldBe("stream.test");
        root.GetProperty("data").GetProperty("note").GetString().ShouldBe("shape 0");
        root.GetProperty("hash").GetString().ShouldNotBeNullOrEmpty();
        root.GetProperty("actor").GetProperty("kind").GetString().ShouldBe("system");
    }

    [Fact]
    public async Task OverTls_WithThePinnedCertificate_EventsArrive_AndWithAnotherPin_NothingIsSent()
    {
        using var certificate = SelfSigned();
        await using var siem = new SyslogListener(certificate);
        siem.Start();
        var pin = Convert.ToHexString(SHA256.HashData(certificate.RawData));
        await using (var app = WardenAppFactory.With(Settings(siem.Port, tls: true, pin: pin)))
        {
            await AppendAsync(app, 2, "tls");
            var newest = await NewestAsync(app);
            await WaitForAsync(() => Sequences(siem).Contains(newest), "the events over TLS");
            (await StatusAsync(app)).Destination.ShouldBe($"tls://127.0.0.1:{siem.Port}");
        }

        await using var wrong = new SyslogListener(certificate);
        wrong.Start();
        await using var refused = WardenAppFactory.With(Settings(wrong.Port, tls: true, pin: new string('A', 64)));
        await AppendAsync(refused, 1, "wrong pin");
        await WaitForAsync(async () => (await StatusAsync(refused)).Failing, "the pin mismatch to be shown");
        wrong.Messages.ShouldBeEmpty();
    }

    private static Dictionary<string, string?> Settings(int port, bool tls = false, string? pin = null) => new()
    {
        ["AuditStream:Enabled"] = "true",
        ["AuditStream:Host"] = "127.0.0.1",
        ["AuditStream:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["AuditStream:Tls"] = tls ? "true" : "false",
        ["AuditStream:TlsServerName"] = tls ? "siem.test" : null,
        ["AuditStream:TlsCertificateSha256"] = pin,
        ["AuditStream:ConfirmSeconds"] = "0.5",
        ["AuditStream:RetrySeconds"] = "1",
        ["Demo:RunAgents"] = "false",
    };

    private static async Task AppendAsync(WardenAppFactory app, int count, string note)
    {
        var writer = app.Services.GetRequiredService<AuditWriter>();
        for (var i = 0; i < count; i++)
        {
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(Cancel);
            await writer.AppendAsync(db, [AuditEntry.Of(AuditActor.System, "stream.test", "stream", new { note = $"{note} {i}" })], Cancel);
        }
    }

    private static async Task<long> NewestAsync(WardenAppFactory app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<WardenDbContext>>().CreateDbContextAsync(Cancel);
        return await db.AuditEvents.MaxAsync(e => e.Sequence, Cancel);
    }

    private static Task<AuditStreamState> StatusAsync(WardenAppFactory app) =>
        app.AsUserAsync<AuditStreamStatus, Warden.Domain.Result<AuditStreamState>>(DemoAccounts.Auditor, s => s.GetAsync()).ContinueWith(t => t.Result.Value, TaskScheduler.Default);

    private static HashSet<long> Sequences(SyslogListener siem) => siem.Messages.Select(Sequence).ToHashSet();

    private static long Sequence(string message) => JsonDocument.Parse(Split(message).Json).RootElement.GetProperty("sequence").GetInt64();

    private static (string Header, string Json) Split(string message)
    {
        var brace = message.IndexOf(" - {", StringComparison.Ordinal);
        return (message[..(brace + 2)], message[(brace + 3)..]);
    }

    private static async Task WaitForAsync(Func<bool> done, string what) => await WaitForAsync(() => Task.FromResult(done()), what);

    private static async Task WaitForAsync(Func<Task<bool>> done, string what)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await done())
                return;
            await Task.Delay(100, Cancel);
        }
        throw new ShouldAssertException($"Waited 30 s for {what}.");
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=siem.test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("siem.test");
        request.CertificateExtensions.Add(names.Build());
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }
}
