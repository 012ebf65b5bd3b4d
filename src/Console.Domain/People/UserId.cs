namespace Warden.Domain.People;

public readonly record struct UserId(string Value)
{
    public override string ToString() => Value;
}
