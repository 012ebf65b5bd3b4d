using Warden.Domain.Agents;
using Warden.Domain.Gateway;

namespace Warden.Tests.Domain.Gateway;

public sealed class UpstreamTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static Upstream Stdio() =>
        Upstream.Register("ups_test", new UpstreamSettings("files", UpstreamTransport.Stdio, "node", ["server.js"], null, null), Now).Value;

    private static ToolMapping Read(string tool, string? exposed = null) =>
        new(tool, exposed ?? tool, "kb.read", OperationKind.Read, "kb/{path}");

    [Fact]
    public void Map_TheSameUpstreamToolAgain_ReplacesItsMapping()
    {
        var upstream = Stdio();
        upstream.Map(Read("read_text_file"), Now);

        var remapped = upstream.Map(Read("read_text_file") with { WardenTool = "docs.read" }, Now);

        remapped.IsSuccess.ShouldBeTrue();
        upstream.Mappings.ShouldHaveSingleItem().WardenTool.ShouldBe("docs.read");
    }

    [Fact]
    public void Map_AListedNameAnotherToolHas_IsRefusedAndChangesNothing()
    {
        var upstream = Stdio();
        upstream.Map(Read("read_text_file", "read"), Now);

        var clash = upstream.Map(Read("read_media_file", "read"), Now);

        clash.Error.Code.ShouldBe("gateway.name_taken");
        upstream.Mappings.ShouldHaveSingleItem().UpstreamTool.ShouldBe("read_text_file");
    }

    [Fact]
    public void Map_AnInvalidResourceTemplate_IsRefused()
    {
        var upstream = Stdio();

        var refused = upstream.Map(Read("read_text_file") with { ResourceTemplate = "kb/../{path}" }, Now);

        refused.Error.Code.ShouldBe("gateway.invalid_template");
        upstream.Mappings.ShouldBeEmpty();
    }

    [Fact]
    public void SetHeaders_OnAStdioUpstream_IsRefused()
    {
        var upstream = Stdio();

        var refused = upstream.SetHeaders(["Authorization"], "sealed", Now);

        refused.Error.ShouldBe(GatewayErrors.HeadersOnlyForHttp);
        upstream.HeaderNames.ShouldBeEmpty();
        upstream.SealedHeaders.ShouldBeNull();
    }

    [Theory]
    [InlineData(UpstreamTransport.Stdio, null, "https://mcp.example.com/mcp", "gateway.command_required")]
    [InlineData(UpstreamTransport.Http, null, "file:///etc/passwd", "gateway.invalid_url")]
    [InlineData(UpstreamTransport.Http, null, "https://user:secret@mcp.example.com/mcp", "gateway.invalid_url")]
    [InlineData(UpstreamTransport.Http, "node", "https://mcp.example.com/mcp", "gateway.command_only_for_stdio")]
    public void Register_SettingsThatDoNotFitTheTransport_AreRefused(UpstreamTransport transport, string? command, string url, string code)
    {
        var registered = Upstream.Register("ups_test", new UpstreamSettings("remote", transport, command, [], null, url), Now);

        registered.Error.Code.ShouldBe(code);
    }

    [Fact]
    public void Change_ToStdioWhileHeadersAreHeld_IsRefusedAndKeepsTheUrl()
    {
        var upstream = Upstream.Register("ups_test", new UpstreamSettings("remote", UpstreamTransport.Http, null, [], null, "https://mcp.example.com/mcp"), Now).Value;
        upstream.SetHeaders(["Authorization"], "sealed", Now);

        var changed = upstream.Change(new UpstreamSettings("remote", UpstreamTransport.Stdio, "node", [], null, null), Now);

        changed.Error.ShouldBe(GatewayErrors.HeadersOnlyForHttp);
        upstream.Url.ShouldBe("https://mcp.example.com/mcp");
        upstream.Transport.ShouldBe(UpstreamTransport.Http);
    }
}
