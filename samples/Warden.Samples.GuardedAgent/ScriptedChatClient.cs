using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Warden.Samples.GuardedAgent;

/// <summary>One tool call the scripted model makes.</summary>
public sealed record ScriptedCall(string Function, IDictionary<string, object?> Arguments);

/// <summary>
/// A stand-in for a language model: it makes the scripted tool calls one after another, each once the
/// previous call's result is in the conversation, then answers with what each call returned.
/// Deterministic, no model, no network.
/// </summary>
public sealed class ScriptedChatClient(IReadOnlyList<ScriptedCall> script) : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var results = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
        if (results.Count < script.Count)
        {
            var next = script[results.Count];
            if (options?.Tools?.Any(t => t.Name == next.Function) != true)
                throw new InvalidOperationException($"The script calls '{next.Function}', which the agent was not given.");
            var call = new FunctionCallContent($"call-{results.Count + 1}", next.Function, next.Arguments);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [call])));
        }
        var lines = results.Select((r, i) => $"- {script[i].Function}: {r.Result ?? r.Exception?.Message}");
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Here is what happened:\n" + string.Join('\n', lines))));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
            yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
