using Knative.Orleans.Grains.Eventing.Filters.Cesql;

namespace Knative.Orleans.Grains.Tests.Eventing.Cesql;

/// <summary>Operators, implicit casts and error propagation beyond the TCK (event: <see cref="CesqlCheck.Event"/>).</summary>
public sealed class CesqlEvaluationTests
{
    private const CesqlErrorKind Math = CesqlErrorKind.Math;
    private const CesqlErrorKind Cast = CesqlErrorKind.Cast;
    private const CesqlErrorKind Missing = CesqlErrorKind.MissingAttribute;

    [Theory]
    // NOT is not ambiguous and Integer->Boolean must succeed (the skipped TCK case).
    [InlineData("NOT 10", false, null)]
    [InlineData("NOT 0", true, null)]
    [InlineData("NOT 'yes'", false, Cast)]
    [InlineData("TRUE OR TRUE AND FALSE", false, null)]
    // Truncated division; % has the sign of the dividend.
    [InlineData("-7 / 2", -3, null)]
    [InlineData("7 / -2", -3, null)]
    [InlineData("-7 % 2", -1, null)]
    [InlineData("7 % -2", 1, null)]
    [InlineData("1 / 0", 0, Math)]
    [InlineData("0 % 0", 0, Math)]
    [InlineData("1 / 0 + 5", 0, Math)] // the failing operand makes + return its zero value
    // Integer overflow saturates with a Math error, like ABS(-2147483648).
    [InlineData("2147483647 + 1", 2147483647, Math)]
    [InlineData("-2147483648 - 1", -2147483648, Math)]
    [InlineData("65536 * 65536", 2147483647, Math)]
    [InlineData("65536 * -65536", -2147483648, Math)]
    [InlineData("-2147483648 / -1", 2147483647, Math)]
    [InlineData("-2147483648 % -1", 0, null)]
    [InlineData("-(-2147483648)", 2147483647, Math)]
    [InlineData("-(2147483647)", -2147483647, null)]
    // Implicit casts.
    [InlineData("'abc' + 1", 0, Cast)]
    [InlineData("' 5' + 0", 0, Cast)]
    [InlineData("'+5' + 0", 5, null)]
    [InlineData("'99999999999' + 0", 0, Cast)]
    [InlineData("myint + 1", 11, null)]
    [InlineData("numstr * 2", 84, null)]
    [InlineData("myint = '10'", true, null)] // left cast to the right's type: String
    [InlineData("'10' = myint", true, null)] // ... Integer
    [InlineData("'010' = myint", true, null)]
    [InlineData("myint = '010'", false, null)]
    [InlineData("mybool = 'true'", true, null)]
    [InlineData("mybool = 'yes'", false, null)]
    [InlineData("'yes' = mybool", false, Cast)]
    [InlineData("1 = TRUE", true, null)]
    [InlineData("myint < '9'", false, null)] // < is Integer only: both cast
    [InlineData("'a' < 'b'", false, Cast)]
    [InlineData("TRUE > FALSE", true, null)]
    [InlineData("'abc' = 'ABC'", false, null)] // case-sensitive
    [InlineData("'abc' LIKE 'a%' = TRUE", true, null)]
    [InlineData("1 XOR 0", true, null)]
    // Missing attributes: the enclosing operator returns its zero value; EXISTS never errors.
    [InlineData("missing", false, Missing)]
    [InlineData("subject", false, Missing)]
    [InlineData("EXISTS subject", false, null)]
    [InlineData("EXISTS missing", false, null)]
    [InlineData("EXISTS MyInt", true, null)]
    [InlineData("EXISTS time", true, null)]
    [InlineData("time", "2018-04-26T14:48:09+02:00", null)]
    [InlineData("false AND missing", false, null)]
    [InlineData("true OR missing", true, null)]
    [InlineData("missing OR true", false, Missing)]
    [InlineData("missing AND false", false, Missing)]
    [InlineData("TRUE XOR missing", false, Missing)]
    [InlineData("NOT (missing = 1)", false, Missing)]
    [InlineData("-missing + 5", 0, Missing)]
    [InlineData("missing / 0", 0, Missing)]
    [InlineData("missing LIKE '%'", false, Missing)]
    [InlineData("missing NOT LIKE 'x'", false, Missing)]
    [InlineData("missing NOT IN (1)", false, Missing)]
    [InlineData("1 IN (1, missing)", false, Missing)]
    [InlineData("1 IN ('a', 1)", false, Cast)]
    [InlineData("1 NOT IN (2, 3)", true, null)]
    [InlineData("'1' IN (1, TRUE)", true, null)]
    [InlineData("myint IN ('10')", true, null)]
    [InlineData("LENGTH(missing) + 1", 0, Missing)]
    [InlineData("ABS(-2147483648) = 2147483647", false, Math)] // a function error also propagates
    [InlineData("CONCAT(missing, 'a')", "", Missing)]
    public void Evaluates(string expression, object expected, CesqlErrorKind? error)
    {
        CesqlCheck.Evaluates(expression, expected, error);
    }

    [Fact]
    public void Every_error_is_collected_in_order_with_its_position()
    {
        CesqlResult result = CesqlCheck.Evaluates("first = second XOR 1 / 0 = 0", false, Missing);

        Assert.Collection(
            result.Errors,
            e => Assert.Equal((Missing, 0, "attribute 'first' is missing (at position 0)"), (e.Kind, e.Position, e.Message)),
            e => Assert.Equal((Missing, 8, "attribute 'second' is missing (at position 8)"), (e.Kind, e.Position, e.Message)),
            e => Assert.Equal((Math, 21, "division by zero (at position 21)"), (e.Kind, e.Position, e.Message)));
    }

    [Fact]
    public void Short_circuit_skips_the_right_side_entirely()
    {
        Assert.Empty(CesqlCheck.Evaluates("FALSE AND (1 / 0 = 0 AND missing)", false, null).Errors);
        Assert.Empty(CesqlCheck.Evaluates("TRUE OR UNKNOWN()", true, null).Errors);
    }
}
