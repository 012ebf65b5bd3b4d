using Microsoft.Extensions.AI;

namespace Warden.Client.AI;

/// <summary>
/// A tool the model may call only with Warden's leave: each call is asked first; allow runs it and
/// reports the outcome with the grant, deny answers the model with the reason, pending waits for
/// people (bounded); the result is screened by output review before the model sees it.
/// </summary>
public sealed class WardenGuardedFunction : DelegatingAIFunction
{
    private readonly WardenClient _warden;
    private readonly WardenGuardOptions _options;

    public WardenGuardedFunction(AIFunction function, WardenToolMapping mapping, WardenClient warden, WardenGuardOptions? options = null)
        : base(function)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(warden);
        Mapping = mapping;
        _warden = warden;
        _options = options ?? new WardenGuardOptions();
    }

    public WardenToolMapping Mapping { get; }

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var ask = Mapping.ToAsk(arguments, JsonSerializerOptions);
        WardenDecision decision;
        try
        {
            decision = await _warden.AskAsync(ask, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (decision.IsPending && _options.PendingWait > TimeSpan.Zero)
            {
                _options.OnPending?.Invoke(Name, ask, decision);
                decision = await _warden.WaitAsync(decision.Id, _options.PendingWait, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (WardenException ex)
        {
            return Settle(new GuardedToolCall(Name, ask, GuardedCallResult.Refused, null, null, ex),
                $"Warden could not approve {Mapping.Tool} on {ask.Resource}, so it was not run: {ex.Message}");
        }
        if (decision.IsPending)
            return Settle(new GuardedToolCall(Name, ask, GuardedCallResult.StillPending, decision, null, null),
                $"{Mapping.Tool} on {ask.Resource} is still awaiting a person's approval in Warden, so it was not run. Try again later.");
        if (!decision.IsAllowed || decision.Grant is null)
            return Settle(new GuardedToolCall(Name, ask, GuardedCallResult.Denied, decision, null, null),
                $"Warden denied {Mapping.Tool} on {ask.Resource}, so it was not run: {decision.Explain()}");

        object? result;
        try
        {
            result = await base.InvokeCoreAsync(arguments, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var failedReport = await ReportAsync(decision, WardenOutcomeStatus.Failed, ex.Message, cancellationToken).ConfigureAwait(false);
            Settle(new GuardedToolCall(Name, ask, GuardedCallResult.ToolFailed, decision, null, ex, failedReport), string.Empty);
            throw;
        }
        var reportError = await ReportAsync(decision, WardenOutcomeStatus.Succeeded, null, cancellationToken).ConfigureAwait(false);
        if (!_options.ReviewOutput || result is null)
            return Settle(new GuardedToolCall(Name, ask, GuardedCallResult.Ran, decision, null, null, reportError), result);

        WardenDecision review;
        try
        {
            review = await _warden.ReviewOutputAsync(decision.Id, result, cancellationToken).ConfigureAwait(false);
            if (review.IsPending && _options.PendingWait > TimeSpan.Zero)
                review = await _warden.WaitAsync(review.Id, _options.PendingWait, cancellationToken).ConfigureAwait(false);
        }
        catch (WardenException ex)
        {
            return Settle(new GuardedToolCall(Name, ask, GuardedCallResult.OutputWithheld, decision, null, ex, reportError),
                $"{Mapping.Tool} ran, but Warden could not review its output, so it is withheld: {ex.Message}");
        }
        // What Warden released (masked where the policy masks) is what the model sees, never the raw result.
        return review.IsAllowed
            ? Settle(new GuardedToolCall(Name, ask, GuardedCallResult.Ran, decision, review, null, reportError), review.Release is { } release ? release.Output : result)
            : Settle(new GuardedToolCall(Name, ask, GuardedCallResult.OutputWithheld, decision, review, null, reportError),
                $"{Mapping.Tool} ran, but Warden withheld its output: {review.Explain()}");
    }

    // The outcome is told whatever it is; a report Warden refuses does not undo what already happened.
    private async Task<Exception?> ReportAsync(WardenDecision decision, WardenOutcomeStatus status, string? detail, CancellationToken cancellationToken)
    {
        try
        {
            await _warden.ReportOutcomeAsync(decision.Id, new WardenOutcomeReport(decision.Grant!.Token, status) { Detail = detail }, cancellationToken)
                .ConfigureAwait(false);
            return null;
        }
        catch (WardenException ex)
        {
            return ex;
        }
    }

    private object? Settle(GuardedToolCall call, object? answer)
    {
        _options.OnCall?.Invoke(call);
        return answer;
    }
}
