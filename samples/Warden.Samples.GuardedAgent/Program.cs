using Microsoft.Extensions.AI;
using Warden.Client;
using Warden.Client.AI;
using Warden.Samples.GuardedAgent;

// A support agent built with Microsoft Agent Framework whose tools are guarded by Warden. The "model"
// is scripted (no download, no network): it reads a ticket, replies to it and tries to delete it.
var settings = SampleArguments.Parse(args);
if (settings is null)
{
    Console.WriteLine("""
        Usage: dotnet run --project samples/Warden.Samples.GuardedAgent -- [options]
          --url <address>          Warden's address (default http://localhost:5080)
          --client-id <id>         the agent (default agt_demo_support)
          --client-secret <secret> its secret (default Warden-Demo-Agent-1)
          --ticket <id>            the ticket to work on (default: a random one)
          --wait <seconds>         how long a held call waits for an officer (default 120)
        """);
    return 2;
}

using var warden = WardenClient.Create(new WardenClientOptions
{
    BaseAddress = settings.Url,
    ClientId = settings.ClientId,
    ClientSecret = settings.ClientSecret,
});
var desk = new SupportDesk();
var options = new WardenGuardOptions
{
    PendingWait = settings.Wait,
    OnPending = (function, ask, decision) => Console.WriteLine(
        $"  ... {function}: Warden holds {ask.Tool} on {ask.Resource} for an officer. Sign in at {settings.Url} as officer@warden.example, "
        + $"open Approvals and approve it (waiting up to {settings.Wait.TotalSeconds:0} s)."),
    OnCall = call => Console.WriteLine($"  {call.Function} -> {call.Ask.Tool} {call.Ask.Operation} {call.Ask.Resource}: {Describe(call)}"),
};

try
{
    var me = await warden.GetAgentAsync();
    Console.WriteLine($"{me.Name} ({me.Id}, autonomy level {me.AutonomyLevel}) works on ticket {settings.Ticket}, guarded by Warden at {settings.Url}");
}
catch (WardenException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

var model = new ScriptedChatClient(GuardedSupportAgent.Script(settings.Ticket));
var agent = GuardedSupportAgent.Create(model, desk, warden, options);
var response = await agent.RunAsync($"Please handle ticket {settings.Ticket}.");
Console.WriteLine();
Console.WriteLine("The model was told:");
Console.WriteLine(response.Text);

Console.WriteLine();
Console.WriteLine("What the tools really did:");
Console.WriteLine($"  tickets read:    {string.Join(", ", desk.Reads).OrNone()}");
Console.WriteLine($"  replies sent:    {string.Join(", ", desk.Replies.Select(r => r.TicketId)).OrNone()}");
Console.WriteLine($"  tickets deleted: {string.Join(", ", desk.Deleted).OrNone()}");
return 0;

static string Describe(GuardedToolCall call) => call.Result switch
{
    GuardedCallResult.Ran => $"allowed ({call.Decision!.Id}), ran, outcome reported"
        + (call.OutputReview is null ? "" : $", output released ({call.OutputReview.Id})"),
    GuardedCallResult.Denied => $"denied ({call.Decision!.Id}), not run: {call.Decision.Explain()}",
    GuardedCallResult.StillPending => $"still pending ({call.Decision!.Id}) when the wait ran out, not run",
    GuardedCallResult.OutputWithheld => $"ran, but output review withheld the output: {call.OutputReview?.Explain() ?? call.Error?.Message}",
    GuardedCallResult.ToolFailed => $"ran and failed: {call.Error?.Message}",
    _ => $"refused: {call.Error?.Message}",
};

internal static class Text
{
    public static string OrNone(this string text) => text.Length == 0 ? "(none)" : text;
}
