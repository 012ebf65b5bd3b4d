using Warden.Tests.Support;

namespace Warden.Tests.Features.Rollback;

/// <summary>The app with a one-second webhook timeout, so a slow compensating endpoint is given up on quickly.</summary>
public sealed class RollbackApp() : WardenAppFactory(new Dictionary<string, string?> { ["Tools:WebhookTimeoutSeconds"] = "1" });
