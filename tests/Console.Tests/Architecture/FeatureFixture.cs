// Small features that use each other in every way the reader must see, for FeatureDependenciesTests.
// Ranks there: Low and Peer 0, High 1; Unplaced has none.

namespace Warden.Tests.Architecture.Fixture.Features.High
{
    public class Base;

    public sealed class Thing;

    public sealed class Item;

    public sealed class Marker;

    public static class Calculator
    {
        public static int Twice(int value) => 2 * value;
    }

    /// <summary>A higher feature may use a lower one.</summary>
    public sealed class UsesLow(Low.Plain plain)
    {
        public Low.Plain Plain { get; } = plain;
    }
}

namespace Warden.Tests.Architecture.Fixture.Features.Low
{
    public sealed class Plain;

    public sealed class Derived : High.Base;

    public sealed class FieldUser(object? anything)
    {
        private readonly High.Thing? _field = anything as High.Thing;

        public bool IsEmpty => _field is null;
    }

    public static class BodyUser
    {
        public static object Make() => new High.Thing();
    }

    public static class LambdaUser
    {
        public static Func<int, int> Doubler() => value => High.Calculator.Twice(value);
    }

    public static class AsyncUser
    {
        public static async Task<int> LaterAsync()
        {
            await Task.Yield();
            return High.Calculator.Twice(1);
        }
    }

    public static class GenericUser
    {
        public static int Count(IReadOnlyList<List<High.Item>> items) => items.Count;
    }

    [FixtureUses(typeof(High.Marker))]
    public sealed class AttributeUser;

    public static class PeerUser
    {
        public static string Name() => nameof(PeerUser) + new Peer.Neighbour();
    }
}

namespace Warden.Tests.Architecture.Fixture.Features.Peer
{
    public sealed class Neighbour;
}

namespace Warden.Tests.Architecture.Fixture.Features.Unplaced
{
    public sealed class Stray;
}

namespace Warden.Tests.Architecture.Fixture
{
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class FixtureUsesAttribute(Type type) : Attribute
    {
        public Type Type { get; } = type;
    }
}
