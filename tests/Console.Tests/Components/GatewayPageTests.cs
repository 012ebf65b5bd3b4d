using Bunit;
using Warden.Features.Demo;
using Warden.Features.Gateway;
using Warden.Tests.Support;

namespace Warden.Tests.Components;

public sealed class GatewayPageTests(WardenAppFactory app) : ComponentTestBase(app)
{
    [Fact]
    public async Task Page_ForAnOfficer_ShowsTheDemoUpstreamWithItsMappingsHealthAndActions()
    {
        await SignInAsync(DemoAccounts.Officer);
        RenderPopoverProvider();

        var page = Render<GatewayPage>();

        page.WaitForAssertion(() => page.Find($"[data-testid='upstream-{DemoUpstream.Name}']"));
        var mappings = page.Find($"[data-testid='mappings-{DemoUpstream.Name}']").TextContent;
        mappings.ShouldContain("read_text_file");
        mappings.ShouldContain("kb.write");
        mappings.ShouldContain("kb/{path}");
        page.Find($"[data-testid='upstream-health-{DemoUpstream.Name}']").TextContent.ShouldNotBeNullOrWhiteSpace();
        page.Find("[data-testid='gateway-endpoint']").TextContent.ShouldContain("/mcp");
        page.FindAll("[data-testid='register-upstream']").ShouldNotBeEmpty();
        page.FindAll($"[data-testid='remove-{DemoUpstream.Name}']").ShouldNotBeEmpty();
        page.FindAll("[data-testid='read-only-notice']").ShouldBeEmpty();
    }

    [Fact]
    public async Task Page_ForAnAuditor_ShowsTheUpstreamsButNoWayToChangeThem()
    {
        await SignInAsync(DemoAccounts.Auditor);
        RenderPopoverProvider();

        var page = Render<GatewayPage>();

        page.WaitForAssertion(() => page.Find($"[data-testid='upstream-{DemoUpstream.Name}']"));
        page.FindAll("[data-testid='register-upstream']").ShouldBeEmpty();
        page.FindAll($"[data-testid='remove-{DemoUpstream.Name}']").ShouldBeEmpty();
        page.FindAll($"[data-testid='reconnect-{DemoUpstream.Name}']").ShouldBeEmpty();
        page.FindAll("[data-testid^='unmap-']").ShouldBeEmpty();
        page.Find("[data-testid='read-only-notice']").TextContent.ShouldContain("read-only for you");
    }
}
