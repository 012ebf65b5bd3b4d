using Microsoft.Extensions.Options;
using Warden;
using Warden.Features.Evidence;
using Warden.Infrastructure.Hosting;

if (Warden.Features.Policies.PolicyCommand.Handles(args))
    return await Warden.Features.Policies.PolicyCommand.RunAsync(args, Console.Out, Console.Error);
if (args is ["evidence", .. var evidenceArgs])
    return await EvidenceCommand.RunAsync(evidenceArgs, Console.Out, Console.Error);

var commandLine = CommandLine.Parse(args);
try
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = commandLine.HostArgs,
        ContentRootPath = commandLine.HostArgs.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            ? null
            : ContentRoot.Locate(),
    });
    if (commandLine.Demo)
        builder.Configuration["Demo:Enabled"] = "true";
    builder.AddWarden();

    var app = builder.Build();
    await app.PrepareWardenAsync(CancellationToken.None);
    app.UseWarden();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is StartupException or OptionsValidationException)
{
    await Console.Error.WriteLineAsync($"Warden cannot start: {ex.Message}");
    return 1;
}

public partial class Program;
