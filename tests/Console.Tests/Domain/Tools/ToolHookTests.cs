using Warden.Domain.Tools;

namespace Warden.Tests.Domain.Tools;

public sealed class ToolHookTests
{
    private static readonly Uri Hook = new("https://payments.example.com/warden/preview");

    [Fact]
    public void AHookFetchingItsPreviewFromTheTool_NeedsTheEndpoint()
    {
        new ToolHook("payments.transfer", PreviewSource.Webhook, null, null, null).Validate().Error.Code.ShouldBe("tool_hook.preview_url_missing");
        new ToolHook("payments.transfer", PreviewSource.Webhook, Hook, null, null).Validate().IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void APreviewEndpoint_IsRefusedWhenThePreviewDoesNotComeFromTheTool()
    {
        new ToolHook("payments.transfer", PreviewSource.Agent, Hook, null, null).Validate().Error.Code.ShouldBe("tool_hook.preview_url_unused");
    }

    [Theory]
    [InlineData("ftp://payments.example.com/undo")]
    [InlineData("https://user:secret@payments.example.com/undo")]
    [InlineData("https://payments.example.com/undo#fragment")]
    [InlineData("file:///etc/passwd")]
    public void ACompensatingEndpoint_MustBeAPlainHttpAddress(string url)
    {
        var hook = new ToolHook("payments.transfer", PreviewSource.None, null, new Uri(url), null);

        hook.Validate().Error.Code.ShouldBe("tool_hook.invalid_url");
    }

    [Fact]
    public void ACompensatingAction_IsAWebhookOrAGatewayTool_NotBoth()
    {
        new ToolHook("payments.transfer", PreviewSource.None, null, new Uri("https://payments.example.com/undo"), "payments_refund")
            .Validate().Error.Code.ShouldBe("tool_hook.two_compensations");
    }

    [Theory]
    [InlineData("Payments")]
    [InlineData("")]
    [InlineData("9tool")]
    [InlineData("tool with spaces")]
    public void TheToolName_FollowsTheNamesAgentsDeclare(string tool)
    {
        new ToolHook(tool, PreviewSource.Agent, null, null, null).Validate().Error.Code.ShouldBe("tool_hook.invalid_tool");
    }

    [Fact]
    public void WhatAHookDeclares_IsReadFromItsParts()
    {
        var previewOnly = new ToolHook("crm.update", PreviewSource.Agent, null, null, null);
        var undoByGateway = new ToolHook("crm.update", PreviewSource.None, null, null, "crm_restore");
        var nothing = new ToolHook("crm.update", PreviewSource.None, null, null, null);

        (previewOnly.DeclaresPreview, previewOnly.DeclaresCompensation).ShouldBe((true, false));
        (undoByGateway.DeclaresPreview, undoByGateway.DeclaresCompensation).ShouldBe((false, true));
        nothing.DeclaresAnything.ShouldBeFalse();
    }
}
