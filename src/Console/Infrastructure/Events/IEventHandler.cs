namespace Warden.Infrastructure.Events;

/// <summary>
/// Reacts to something another feature did. Handlers are singletons; the teller awaits them in
/// registration order, so a handler that must finish before an answer leaves simply awaits its work,
/// and one that must not slow the teller queues it and returns.
/// </summary>
public interface IEventHandler<in TEvent>
{
    Task HandleAsync(TEvent happened, CancellationToken cancellationToken);
}
