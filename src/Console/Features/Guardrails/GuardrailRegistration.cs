using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Warden.Domain.Guardrails;
using Warden.Features.AuditLog;
using Warden.Infrastructure.Keys;

namespace Warden.Features.Guardrails;

public static class GuardrailRegistration
{
    public static IServiceCollection AddGuardrails(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GuardrailSettings>()
            .Bind(configuration.GetSection(GuardrailSettings.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<GuardrailSettings>, DetectorSettingsValidation>();
        services.AddSingleton(sp => ScannerSetup.Create(
            sp.GetRequiredService<IOptions<GuardrailSettings>>().Value, sp.GetRequiredService<IHostEnvironment>().ContentRootPath));
        services.AddSingleton<Masking>();
        services.AddStoredKeyUser<Masking>();
        services.AddSingleton<IAuditMasking>(sp => sp.GetRequiredService<Masking>());
        services.AddSingleton<RequestScreening>();
        services.AddHttpClient(HttpDetector.HttpClientName);
        services.AddSingleton<IEnumerable<IExternalDetector>>(sp =>
        {
            var factory = sp.GetRequiredService<IHttpClientFactory>();
            return sp.GetRequiredService<IOptions<GuardrailSettings>>().Value.Detectors
                .Select(d => (IExternalDetector)new HttpDetector(factory.CreateClient(HttpDetector.HttpClientName), d))
                .ToArray();
        });
        services.AddScoped<GuardrailReviewService>();
        return services;
    }

    /// <summary>Builds the scanner (and reads any pattern pack files) now, so a bad pack stops start-up with one clear line.</summary>
    public static void PrepareGuardrails(this IServiceProvider services) => _ = services.GetRequiredService<GuardrailScanner>();

    private sealed class DetectorSettingsValidation : IValidateOptions<GuardrailSettings>
    {
        public ValidateOptionsResult Validate(string? name, GuardrailSettings options)
        {
            var problems = new List<string>();
            for (var i = 0; i < options.Detectors.Count; i++)
            {
                var results = new List<ValidationResult>();
                if (!Validator.TryValidateObject(options.Detectors[i], new ValidationContext(options.Detectors[i]), results, validateAllProperties: true))
                    problems.AddRange(results.Select(r => $"Guardrails:Detectors:{i}: {r.ErrorMessage}"));
            }
            var duplicate = options.Detectors.GroupBy(d => d.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
                problems.Add($"Guardrails:Detectors: the name '{duplicate.Key}' is used twice.");
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
