using Warden.Domain;

namespace Warden.Tests.Domain;

public sealed class ResultTests
{
    private static readonly Error Refused = new("test.refused", "Refused for the test.");

    [Fact]
    public void Success_HasNoError()
    {
        var result = Result.Success();

        result.IsSuccess.ShouldBeTrue();
        result.IsFailure.ShouldBeFalse();
        result.Error.ShouldBe(Error.None);
    }

    [Fact]
    public void Failure_WithAnError_CarriesThatError()
    {
        var result = Result.Failure(Refused);

        result.IsFailure.ShouldBeTrue();
        result.IsSuccess.ShouldBeFalse();
        result.Error.ShouldBe(Refused);
    }

    [Fact]
    public void Failure_WithErrorNone_Throws()
    {
        var failing = () => Result.Failure(Error.None);

        failing.ShouldThrow<ArgumentException>();
    }

    [Fact]
    public void Failure_WithNull_Throws()
    {
        var failing = () => Result.Failure(null!);

        failing.ShouldThrow<ArgumentNullException>();
    }

    [Fact]
    public void ImplicitConversion_FromError_IsAFailure()
    {
        Result result = Refused;

        result.IsFailure.ShouldBeTrue();
        result.Error.ShouldBe(Refused);
    }

    [Fact]
    public void Value_OfASuccess_IsTheValue()
    {
        Result<int> result = 42;

        result.IsSuccess.ShouldBeTrue();
        result.Value.ShouldBe(42);
    }

    [Fact]
    public void Value_OfAFailure_ThrowsNamingTheError()
    {
        Result<int> result = Refused;

        var thrown = Should.Throw<InvalidOperationException>(() => result.Value);

        thrown.Message.ShouldContain("test.refused");
    }

    [Fact]
    public void GenericSuccess_WithNullValue_IsStillASuccess()
    {
        var result = Result.Success<string?>(null);

        result.IsSuccess.ShouldBeTrue();
        result.Value.ShouldBeNull();
    }

    [Fact]
    public void GenericFailure_IsAFailureOfTheBaseType()
    {
        Result result = Result.Failure<string>(Refused);

        result.IsFailure.ShouldBeTrue();
        result.Error.Code.ShouldBe("test.refused");
    }

    [Fact]
    public void Error_ComparesByCodeAndMessage()
    {
        var copy = new Error("test.refused", "Refused for the test.");

        copy.ShouldBe(Refused);
        new Error("test.refused", "Another message.").ShouldNotBe(Refused);
    }

    [Fact]
    public void Error_ToString_ShowsCodeAndMessage()
    {
        var text = Refused.ToString();

        text.ShouldBe("test.refused: Refused for the test.");
    }
}
