using Knative.Orleans.Grains.Eventing.Filters.Cesql;

namespace Knative.Orleans.Grains.Tests.Eventing.Cesql;

/// <summary>Built-in function edge cases beyond the TCK; strings count Unicode code points.</summary>
public sealed class CesqlFunctionTests
{
    private const CesqlErrorKind Cast = CesqlErrorKind.Cast;
    private const CesqlErrorKind Eval = CesqlErrorKind.FunctionEvaluation;
    private const CesqlErrorKind NoFunction = CesqlErrorKind.MissingFunction;

    [Theory]
    [InlineData("LENGTH('😀')", 1, null)]
    [InlineData("LENGTH('héllo')", 5, null)]
    [InlineData("LENGTH(myint)", 2, null)]
    [InlineData("length(-1)", 2, null)]
    [InlineData("CONCAT(1, TRUE, 'x')", "1truex", null)]
    [InlineData("CONCAT_WS('-', 1, TRUE)", "1-true", null)]
    [InlineData("CONCAT_WS(',', 'a', '')", "a,", null)]
    [InlineData("CONCAT_WS(1, 'a', 'b')", "a1b", null)]
    [InlineData("LOWER('ÀB')", "àb", null)]
    [InlineData("UPPER(mybool)", "TRUE", null)]
    [InlineData("TRIM('\u00A0 a b \u2003\t\n')", "a b", null)] // Unicode whitespace
    [InlineData("TRIM('   ')", "", null)]
    [InlineData("LEFT('abc', 0)", "", null)]
    [InlineData("LEFT('abc', 3)", "abc", null)]
    [InlineData("LEFT('😀a', 1)", "😀", null)]
    [InlineData("LEFT('abc', 'x')", "", Cast)]
    [InlineData("LEFT('abc', -1)", "abc", Eval)]
    [InlineData("RIGHT('abc', 0)", "", null)]
    [InlineData("RIGHT('a😀', 1)", "😀", null)]
    [InlineData("RIGHT(12345, '2')", "45", null)]
    [InlineData("RIGHT('abc', -1)", "abc", Eval)]
    [InlineData("SUBSTRING('abcdef', 6)", "f", null)]
    [InlineData("SUBSTRING('abcdef', 7)", "", Eval)]
    [InlineData("SUBSTRING('abcdef', -6)", "abcdef", null)]
    [InlineData("SUBSTRING('abcdef', -7)", "", Eval)]
    [InlineData("SUBSTRING('abcdef', -1)", "f", null)]
    [InlineData("SUBSTRING('', 0)", "", null)]
    [InlineData("SUBSTRING('', 1)", "", Eval)]
    [InlineData("SUBSTRING('😀bc', 2)", "bc", null)]
    [InlineData("SUBSTRING('abcdef', 2, 0)", "", null)]
    [InlineData("SUBSTRING('abcdef', 2, 100)", "bcdef", null)]
    [InlineData("SUBSTRING('abcdef', -2, 5)", "ef", null)]
    [InlineData("SUBSTRING('abcdef', 1, -1)", "", Eval)]
    [InlineData("SUBSTRING('abcdef', 0, -1)", "", Eval)] // errors are checked before the pos = 0 rule
    [InlineData("SUBSTRING(myint, 1, 1)", "1", null)]
    [InlineData("ABS(2147483647)", 2147483647, null)]
    [InlineData("ABS(-2147483647)", 2147483647, null)]
    [InlineData("ABS('-5')", 5, null)]
    [InlineData("ABS('x')", 0, Cast)]
    [InlineData("ABS(-2147483648)", 2147483647, CesqlErrorKind.Math)]
    [InlineData("INT('+7')", 7, null)]
    [InlineData("INT('-2147483648')", -2147483648, null)]
    [InlineData("INT('2147483648')", 0, Cast)]
    [InlineData("INT(' 7')", 0, Cast)]
    [InlineData("INT('0x10')", 0, Cast)]
    [InlineData("INT('')", 0, Cast)]
    [InlineData("INT(numstr) + 1", 43, null)]
    [InlineData("BOOL('True')", true, null)]
    [InlineData("BOOL('yes')", false, Cast)]
    [InlineData("BOOL('1')", false, Cast)]
    [InlineData("BOOL(' true')", false, Cast)]
    [InlineData("BOOL('')", false, Cast)]
    [InlineData("STRING(-0)", "0", null)]
    [InlineData("STRING(mystr)", "hello", null)]
    [InlineData("LENGTH()", false, NoFunction)]
    [InlineData("LENGTH('a', 'b')", false, NoFunction)]
    [InlineData("SUBSTRING('a')", false, NoFunction)]
    [InlineData("SUBSTRING('a', 1, 1, 1)", false, NoFunction)]
    [InlineData("ABS()", false, NoFunction)]
    [InlineData("IS_INT('1')", false, NoFunction)] // gone in CESQL v1
    [InlineData("UNKNOWN(missing)", false, NoFunction)] // arguments of an unknown function are not evaluated
    [InlineData("LENGTH(UNKNOWN())", 0, NoFunction)]
    public void Evaluates(string expression, object expected, CesqlErrorKind? error)
    {
        CesqlCheck.Evaluates(expression, expected, error);
    }

    [Fact]
    public void Function_errors_name_the_function_and_position()
    {
        CesqlResult result = CesqlCheck.Evaluates("'x' = LEFT('abc', -2)", false, Eval);

        Assert.Equal("LEFT length -2 is negative (at position 6)", Assert.Single(result.Errors).Message);
        Assert.Equal(
            "no function NOPE taking 2 argument(s) (at position 0)",
            CesqlExpression.Parse("nope(1, 2)").Evaluate(CesqlCheck.Event).Error!.Message);
        Assert.Equal(
            "INT: cannot cast String 'abc' to Integer (at position 0)",
            CesqlExpression.Parse("INT('abc')").Evaluate(CesqlCheck.Event).Error!.Message);
    }
}
