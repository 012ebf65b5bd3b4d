using System.Collections.Concurrent;

namespace Warden.Infrastructure.Events;

/// <summary>
/// Tells in-process handlers what happened, so a feature that acts never calls the features that
/// follow it. What is told has already committed: a handler that fails is logged and skipped, and the
/// others are still told.
/// </summary>
public sealed class EventPublisher(IServiceProvider services, ILogger<EventPublisher> logger)
{
    private readonly ConcurrentDictionary<Type, object> _handlers = new();

    public async Task PublishAsync<TEvent>(TEvent happened, CancellationToken cancellationToken)
        where TEvent : notnull
    {
        foreach (var handler in HandlersOf<TEvent>())
        {
            try
            {
                await handler.HandleAsync(happened, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                EventLog.HandlerFailed(logger, ex, handler.GetType().Name, typeof(TEvent).Name);
            }
        }
    }

    // Handlers are singletons: resolved once per event type, not on every decision.
    private IEventHandler<TEvent>[] HandlersOf<TEvent>() =>
        (IEventHandler<TEvent>[])_handlers.GetOrAdd(typeof(TEvent), _ => services.GetServices<IEventHandler<TEvent>>().ToArray());
}

public static class EventRegistration
{
    /// <summary>Registers <typeparamref name="THandler"/> (already registered as a singleton) as a handler of <typeparamref name="TEvent"/>.</summary>
    public static IServiceCollection AddEventHandler<TEvent, THandler>(this IServiceCollection services)
        where THandler : class, IEventHandler<TEvent> =>
        services.AddSingleton<IEventHandler<TEvent>>(sp => sp.GetRequiredService<THandler>());
}

internal static partial class EventLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "{Handler} failed to handle {Event}; the other handlers were still told.")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string handler, string @event);
}
