using System.Net;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Warden.Client;

/// <summary>Sends one call with the retries its <see cref="CallKind"/> allows and a timeout per attempt.</summary>
internal sealed class WardenTransport
{
    private static readonly ResiliencePropertyKey<CallKind> Kind = new("warden.kind");
    private static readonly ResiliencePropertyKey<TimeSpan> Timeout = new("warden.timeout");

    private readonly Func<HttpClient> _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _maxRetryAfter;

    public WardenTransport(Func<HttpClient> http, WardenClientOptions options, TimeProvider clock)
    {
        _http = http;
        _clock = clock;
        _maxRetryAfter = options.MaxRetryAfter;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = clock };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Context.Properties.GetValue(Kind, CallKind.Once), args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfter.Of(response, _clock) : null),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            });
        }
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            TimeoutGenerator = args => ValueTask.FromResult(args.Context.Properties.GetValue(Timeout, options.AttemptTimeout)),
        });
        _pipeline = builder.Build();
    }

    public async Task<HttpResponseMessage> SendAsync(CallKind kind, Func<HttpRequestMessage> request, TimeSpan attemptTimeout, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Kind, kind);
        context.Properties.Set(Timeout, attemptTimeout);
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (ctx, state) =>
                {
                    using var message = state.request();
                    return await state.http().SendAsync(message, HttpCompletionOption.ResponseContentRead, ctx.CancellationToken).ConfigureAwait(false);
                },
                context,
                (request, http: _http)).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new WardenException($"Warden did not answer within {attemptTimeout.TotalSeconds:0.#} s.", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new WardenException($"Warden could not be reached: {ex.Message}", ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private bool ShouldRetry(CallKind kind, Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Exception is { } exception)
        {
            return exception switch
            {
                HttpRequestException http => kind != CallKind.Once || http.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError,
                TimeoutRejectedException => kind != CallKind.Once,
                _ => false,
            };
        }
        var response = outcome.Result!;
        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => kind != CallKind.Ask && ShortRetryAfter(response),
            HttpStatusCode.ServiceUnavailable => RetryAfter.Of(response, _clock) is null || ShortRetryAfter(response),
            HttpStatusCode.RequestTimeout or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout => kind != CallKind.Once,
            _ => false,
        };
    }

    private bool ShortRetryAfter(HttpResponseMessage response) =>
        RetryAfter.Of(response, _clock) is { } wait && wait <= _maxRetryAfter;
}
