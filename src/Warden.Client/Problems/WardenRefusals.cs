namespace Warden.Client;

/// <summary>The agent, its owner, its segment or everything is contained: nothing it asks is allowed (403 <c>contained</c>).</summary>
public sealed class WardenContainedException(WardenProblem problem) : WardenException(problem);

/// <summary>The bearer token was refused on the agent API (401): the agent is not active, unknown, or the token was invalidated.</summary>
public sealed class WardenTokenRefusedException(WardenProblem problem) : WardenException(problem);

/// <summary>The request itself is wrong (400 <c>invalid-request</c>, 413, 415): fix it before asking again.</summary>
public sealed class WardenInvalidRequestException(WardenProblem problem) : WardenException(problem);

/// <summary>No decision could be made or recorded (503 <c>decision-unavailable</c>); nothing is allowed. Retry with the same Idempotency-Key.</summary>
public sealed class WardenUnavailableException(WardenProblem problem) : WardenException(problem);

/// <summary>The Idempotency-Key was used before with another body (409 <c>idempotency-conflict</c>).</summary>
public sealed class WardenIdempotencyConflictException(WardenProblem problem) : WardenException(problem);

/// <summary>No such decision for this agent (404 <c>not-found</c>).</summary>
public sealed class WardenNotFoundException(WardenProblem problem) : WardenException(problem);
