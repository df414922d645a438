using Knative.Orleans.Grains.Eventing.Filters.Cesql;

namespace Knative.Orleans.Grains.Tests.Eventing.Cesql;

public sealed class CesqlParserTests
{
    [Theory]
    [InlineData("TRUE OR TRUE AND FALSE", "((TRUE OR TRUE) AND FALSE)")] // one level, left to right
    [InlineData("TRUE AND FALSE OR TRUE XOR TRUE", "(((TRUE AND FALSE) OR TRUE) XOR TRUE)")]
    [InlineData("a = b XOR c", "((a = b) XOR c)")]
    [InlineData("1 + 2 * 3", "(1 + (2 * 3))")]
    [InlineData("1 - 2 - 3", "((1 - 2) - 3)")]
    [InlineData("8 / 4 % 3", "((8 / 4) % 3)")]
    [InlineData("1 < 2 = TRUE", "((1 < 2) = TRUE)")]
    [InlineData("1 + 2 <> 3", "((1 + 2) != 3)")]
    [InlineData("a * b IN (1, 2)", "(a * (b IN (1, 2)))")] // IN binds tighter than * / %
    [InlineData("a + b LIKE 'x'", "(a + (b LIKE 'x'))")]
    [InlineData("a LIKE 'x' IN (TRUE)", "((a LIKE 'x') IN (TRUE))")] // LIKE binds tighter than IN
    [InlineData("NOT a LIKE 'x'", "((NOT a) LIKE 'x')")] // NOT binds tighter than LIKE
    [InlineData("a NOT LIKE 'x%'", "(a NOT LIKE 'x%')")]
    [InlineData("a NOT IN (1, 'b', c)", "(a NOT IN (1, 'b', c))")]
    [InlineData("NOT EXISTS time", "(NOT (EXISTS time))")]
    [InlineData("NOT NOT TRUE", "(NOT (NOT TRUE))")]
    [InlineData("-a * b", "((-a) * b)")]
    [InlineData("5-3", "(5 - 3)")] // a sign is folded into a literal only in operand position
    [InlineData("5 - -3", "(5 - -3)")]
    [InlineData("5 + +3", "(5 + 3)")]
    [InlineData("--10", "(--10)")]
    [InlineData("-(3)", "(-3)")]
    [InlineData("-2147483648", "-2147483648")]
    [InlineData("+7", "7")]
    [InlineData("(((1)))", "1")]
    [InlineData("int(hop) < INT(ttl) and Int(hop) < 1000", "((INT(hop) < INT(ttl)) AND (INT(hop) < 1000))")]
    [InlineData("EXISTS SOURCE", "(EXISTS source)")] // identifiers are case-insensitive (our rule)
    [InlineData("MyExt = 'A'", "(myext = 'A')")]
    [InlineData("1abc", "1abc")] // CloudEvents names may start with a digit
    [InlineData("concat_ws(',', 'a')", "CONCAT_WS(',', 'a')")]
    [InlineData("CONCAT()", "CONCAT()")]
    [InlineData("tRuE xOr FaLsE", "(TRUE XOR FALSE)")]
    [InlineData("\t1\r\n+\n2 ", "(1 + 2)")]
    [InlineData("'it\\'s'", "'it\\'s'")]
    [InlineData("\"say \\\"hi\\\"\"", "'say \"hi\"'")]
    public void Parses_with_the_documented_precedence(string expression, string tree)
    {
        Assert.Equal(tree, CesqlExpression.Parse(expression).Root.ToString());
    }

    [Theory]
    [InlineData("'a\\\"b'", "a\\\"b")] // only the delimiting quote is escapable
    [InlineData("\"a\\'b\"", "a\\'b")]
    [InlineData("'a\\b'", "a\\b")]
    [InlineData("'a\"b'", "a\"b")]
    [InlineData("''", "")]
    public void String_literals_decode_only_the_delimiter_escape(string expression, string value)
    {
        var literal = Assert.IsType<CesqlLiteralNode>(CesqlExpression.Parse(expression).Root);
        Assert.Equal(CesqlValue.FromString(value), literal.Value);
    }

    [Theory]
    [InlineData("", 0, "Empty expression")]
    [InlineData("   ", 0, "Empty expression")]
    [InlineData("ABC(", 4, "Expected an operand at position 4 but found end of expression")]
    [InlineData("x LIKE 123", 7, "LIKE needs a string literal pattern at position 7")]
    [InlineData("x NOT LIKE y", 11, "LIKE needs a string literal pattern")]
    [InlineData("2147483648", 0, "outside the 32-bit signed range")]
    [InlineData("-2147483649", 0, "Integer literal -2147483649 at position 0")]
    [InlineData("99999999999999999999999", 0, "outside the 32-bit signed range")]
    [InlineData("-(2147483648)", 2, "outside the 32-bit signed range")]
    [InlineData("'abc", 0, "Unterminated string literal")]
    [InlineData("'abc\\'", 0, "Unterminated string literal")]
    [InlineData("1 2", 2, "Unexpected '2' at position 2")]
    [InlineData("(1 + 2", 6, "Expected ')' at position 6")]
    [InlineData("1 +", 3, "Expected an operand")]
    [InlineData("a # b", 2, "Unexpected character '#'")]
    [InlineData("a ! b", 2, "Unexpected character '!'")]
    [InlineData("a == b", 3, "Expected an operand at position 3 but found '='")]
    [InlineData("my_ext = 1", 0, "Invalid attribute name 'my_ext'")]
    [InlineData("F1(2)", 0, "Invalid function name 'F1'")]
    [InlineData("_F(2)", 0, "Invalid function name '_F'")]
    [InlineData("EXISTS 1", 7, "an attribute name after EXISTS")]
    [InlineData("EXISTS TRUE", 7, "an attribute name after EXISTS")]
    [InlineData("x IN ()", 6, "Expected an operand")]
    [InlineData("x IN 1", 5, "'(' to open the IN set")]
    [InlineData("x IN (1, 2", 10, "',' or ')' in the IN set")]
    [InlineData("TRUE(1)", 4, "Unexpected '('")]
    [InlineData("a, b", 1, "Unexpected ','")]
    [InlineData("NOT", 3, "Expected an operand")]
    [InlineData("LENGTH('a' 'b')", 11, "',' or ')' in the argument list")]
    [InlineData("é = 1", 0, "Unexpected character 'é'")]
    public void Rejects_invalid_text_with_a_position(string expression, int position, string message)
    {
        Assert.False(CesqlExpression.TryParse(expression, out CesqlExpression? parsed, out CesqlError? error));
        Assert.Null(parsed);
        Assert.Equal(CesqlErrorKind.Parse, error.Kind);
        Assert.Equal(position, error.Position);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_throws_a_CesqlParseException_carrying_the_same_error()
    {
        var e = Assert.Throws<CesqlParseException>(() => CesqlExpression.Parse("ABC("));

        Assert.Equal(4, e.Position);
        Assert.Equal(CesqlErrorKind.Parse, e.Error.Kind);
        Assert.Equal(e.Error.Message, e.Message);
    }

    [Fact]
    public void Deep_nesting_is_a_parse_error_not_a_stack_overflow()
    {
        string parens = new string('(', 100_000) + "1" + new string(')', 100_000);
        string nots = string.Concat(Enumerable.Repeat("NOT ", 100_000)) + "TRUE";
        string chain = string.Join(" + ", Enumerable.Repeat("1", 100_000));

        Assert.Contains("nested deeper than 128", Assert.Throws<CesqlParseException>(() => CesqlExpression.Parse(parens)).Message);
        Assert.Contains("nested deeper than 128", Assert.Throws<CesqlParseException>(() => CesqlExpression.Parse(nots)).Message);
        Assert.Contains("nested deeper than 1000", Assert.Throws<CesqlParseException>(() => CesqlExpression.Parse(chain)).Message);
    }

    [Fact]
    public void Long_but_shallow_expressions_parse_and_evaluate()
    {
        string chain = string.Join(" + ", Enumerable.Repeat("1", 999));
        string set = "5 IN (" + string.Join(", ", Enumerable.Range(0, 10_000)) + ")";

        Assert.Equal(CesqlValue.FromInteger(999), CesqlExpression.Parse(chain).Evaluate(CesqlCheck.Event).Value);
        Assert.True(CesqlExpression.Parse(set).Matches(CesqlCheck.Event));
    }

    [Fact]
    public void Ast_is_an_immutable_value_with_positions()
    {
        var root = Assert.IsType<CesqlBinaryNode>(CesqlExpression.Parse("a = 'x' AND b LIKE 'y%'").Root);

        Assert.Equal(CesqlBinaryOperator.And, root.Operator);
        Assert.Equal(8, root.Position);
        var like = Assert.IsType<CesqlLikeNode>(root.Right);
        Assert.Equal("y%", like.Pattern);
        Assert.Equal(14, like.Position);
        Assert.Equal(like, like with { });
        Assert.Equal("(b LIKE 'z')", (like with { Pattern = "z" }).ToString());
        Assert.Equal(CesqlExpression.Parse("a IN (1)").Root.ToString(), CesqlExpression.Parse("A in (1)").Root.ToString());
    }
}
