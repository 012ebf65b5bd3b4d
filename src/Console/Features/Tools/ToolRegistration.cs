using Warden.Domain.Tools;
using Warden.Features.Decisions;
using Warden.Infrastructure.Cluster;

namespace Warden.Features.Tools;

public static class ToolRegistration
{
    /// <summary>Tool hooks (previews and compensating actions declared per tool) and the signed requests Warden sends to tools.</summary>
    public static IServiceCollection AddToolHooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ToolHookOptions>()
            .Bind(configuration.GetSection(ToolHookOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ToolHooks>();
        services.AddStateView<ToolHooks>();
        services.AddSingleton<IToolCompensations, ToolCompensations>();
        services.AddDecisionState<ToolHook>(h => h.Tool);
        services.AddHttpClient(ToolWebhooks.HttpClientName).ConfigurePrimaryHttpMessageHandler(ToolWebhookHandler.Create);
        services.AddSingleton<ToolWebhookSignature>();
        services.AddSingleton<ToolWebhooks>();
        services.AddScoped<ToolHookService>();
        return services;
    }
}
