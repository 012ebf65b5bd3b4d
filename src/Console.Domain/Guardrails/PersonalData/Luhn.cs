namespace Warden.Domain.Guardrails.PersonalData;

/// <summary>The Luhn check digit and the issuer ranges of payment cards.</summary>
public static class Luhn
{
    public static bool IsValid(ReadOnlySpan<char> digits)
    {
        if (digits.IsEmpty)
            return false;
        var sum = 0;
        var doubled = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(digits[i]))
                return false;
            var d = digits[i] - '0';
            if (doubled)
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    /// <summary>Visa, Mastercard (51–55, 2221–2720), Amex, Discover, Diners, JCB, UnionPay, Maestro.</summary>
    public static bool HasCardIssuerPrefix(ReadOnlySpan<char> digits)
    {
        if (digits.Length < 13 || digits.Length > 19)
            return false;
        var two = (digits[0] - '0') * 10 + (digits[1] - '0');
        var four = two * 100 + (digits[2] - '0') * 10 + (digits[3] - '0');
        return digits[0] == '4'
            || two is (>= 50 and <= 58) or 30 or 34 or 35 or 36 or 37 or 38 or 39 or 62 or 64 or 65 or 67
            || four is (>= 2221 and <= 2720) or 6011;
    }
}
