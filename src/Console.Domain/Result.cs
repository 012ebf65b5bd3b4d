namespace Warden.Domain;

/// <summary>An expected failure: a stable machine-readable code and a message a person can act on.</summary>
public sealed record Error(string Code, string Message)
{
    public static readonly Error None = new(string.Empty, string.Empty);

    public override string ToString() => $"{Code}: {Message}";
}

public class Result
{
    protected Result(Error error) => Error = error;

    public Error Error { get; }

    public bool IsSuccess => Error == Error.None;

    public bool IsFailure => !IsSuccess;

    public static Result Success() => new(Error.None);

    public static Result Failure(Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error == Error.None ? throw new ArgumentException("A failure needs an error.", nameof(error)) : new Result(error);
    }

    public static Result<T> Success<T>(T value) => new(value, Error.None);

    public static Result<T> Failure<T>(Error error) => new(default, error);

    public static implicit operator Result(Error error) => Failure(error);
}

public sealed class Result<T> : Result
{
    private readonly T? _value;

    internal Result(T? value, Error error) : base(error) => _value = value;

    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"No value: {Error}");

    public static implicit operator Result<T>(T value) => new(value, Error.None);

    public static implicit operator Result<T>(Error error) => new(default, error);
}
