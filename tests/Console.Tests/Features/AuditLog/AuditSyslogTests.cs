using System.Text;
using Warden.Domain.Audit;
using Warden.Features.AuditLog.Stream;

namespace Warden.Tests.Features.AuditLog;

public sealed class AuditSyslogTests
{
    private static readonly AuditEvent Event = AuditEvent.Chain(42, "prev", new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero),
        AuditActor.Person("usr_1", "Zoë Officer"), "containment.tripped", "cnt_1", """{"reason":"a|b=c\\d\nnext"}""");

    [Fact]
    public void AFrame_CountsTheMessagesBytes_NotItsCharacters()
    {
        var frame = AuditSyslog.Frame(Event, AuditStreamFormat.Json, 13);

        var text = Encoding.UTF8.GetString(frame);
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        int.Parse(text[..space], System.Globalization.CultureInfo.InvariantCulture).ShouldBe(frame.Length - space - 1);
        text.ShouldContain("Zoë");
    }

    [Fact]
    public void ATrip_IsAWarningOfTheLogAuditFacility()
    {
        AuditSyslog.Message(Event, AuditStreamFormat.Json, 13).ShouldStartWith("<108>1 2026-12-06T10:00:00.000000Z ");
        AuditSyslog.Severity("decision.recorded").ShouldBe(6);
        AuditSyslog.Severity("tool.hook_saved").ShouldBe(5);
    }

    [Fact]
    public void Cef_EscapesWhatWouldBreakItsFields()
    {
        var cef = AuditSyslog.Cef(Event);

        cef.ShouldStartWith("CEF:0|Warden|Warden|1|containment.tripped|containment.tripped|7|");
        cef.ShouldContain("externalId=42");
        cef.ShouldContain("suser=Zoë Officer");
        cef.ShouldContain("""msg={"reason":"a|b\=c\\\\d\\nnext"}""");
        AuditSyslog.Header("a|b\\c").ShouldBe("a\\|b\\\\c");
        AuditSyslog.Extension("k=v\r\n").ShouldBe("k\\=v\\r\\n");
    }
}
