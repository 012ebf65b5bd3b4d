namespace Warden.Infrastructure.Hosting;

/// <summary>A configuration or environment problem that stops start-up with one clear line.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
