using System.Globalization;

namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>
/// Recursive-descent CESQL parser. Levels, lowest first (KNATIVE-NOTES §5): <c>AND OR XOR</c> (one level, left to
/// right, so <c>TRUE OR TRUE AND FALSE</c> is false); <c>= != &lt;&gt; &lt; &lt;= &gt; &gt;=</c>; <c>+ -</c>;
/// <c>* / %</c>; <c>[NOT] IN (…)</c>; <c>[NOT] LIKE 'pattern'</c>; prefix <c>NOT</c> and <c>-</c>; then primaries
/// (function call, literal, identifier, <c>EXISTS ident</c>, parentheses). Every binary level is left-associative.
/// </summary>
internal sealed partial class CesqlParser
{
    /// <summary>Deepest nesting of parentheses, arguments and prefix operators the parser recurses into.</summary>
    internal const int MaxNesting = 128;

    /// <summary>Deepest AST accepted; a left-leaning chain like <c>a OR b OR …</c> adds one level per operator.</summary>
    internal const int MaxTreeDepth = 1000;

    private readonly List<CesqlToken> _tokens;
    private int _next;
    private int _nesting;

    private CesqlParser(List<CesqlToken> tokens) => _tokens = tokens;

    private CesqlToken Current => _tokens[_next];

    /// <exception cref="CesqlParseException">The text is not a valid CESQL expression.</exception>
    public static CesqlNode Parse(string text)
    {
        var parser = new CesqlParser(CesqlLexer.Tokenize(text));
        if (parser.Current.Kind == CesqlTokenKind.End)
        {
            throw Error("Empty expression: expected an operand at position 0", 0);
        }

        CesqlNode root = parser.ParseExpression();
        if (parser.Current.Kind != CesqlTokenKind.End)
        {
            CesqlToken t = parser.Current;
            throw Error($"Unexpected {t.Describe()} at position {t.Position}: expected an operator or the end of the expression", t.Position);
        }

        if (CesqlTreeDepth.Exceeds(root, MaxTreeDepth))
        {
            throw Error($"Expression is nested deeper than {MaxTreeDepth} levels", 0);
        }

        return root;
    }

    internal static CesqlParseException Error(string message, int position) =>
        new(new CesqlError(CesqlErrorKind.Parse, message, position));

    private CesqlNode ParseExpression()
    {
        if (++_nesting > MaxNesting)
        {
            throw Error($"Expression is nested deeper than {MaxNesting} levels at position {Current.Position}", Current.Position);
        }

        CesqlNode left = ParseComparison();
        while (Current.Kind is CesqlTokenKind.And or CesqlTokenKind.Or or CesqlTokenKind.Xor)
        {
            CesqlToken op = Advance();
            CesqlBinaryOperator kind = op.Kind switch
            {
                CesqlTokenKind.And => CesqlBinaryOperator.And,
                CesqlTokenKind.Or => CesqlBinaryOperator.Or,
                _ => CesqlBinaryOperator.Xor,
            };
            left = new CesqlBinaryNode(kind, left, ParseComparison(), op.Position);
        }

        _nesting--;
        return left;
    }

    private CesqlNode ParseComparison()
    {
        CesqlNode left = ParseAdditive();
        while (ComparisonOperator(Current.Kind) is { } kind)
        {
            CesqlToken op = Advance();
            left = new CesqlBinaryNode(kind, left, ParseAdditive(), op.Position);
        }

        return left;
    }

    private static CesqlBinaryOperator? ComparisonOperator(CesqlTokenKind kind) => kind switch
    {
        CesqlTokenKind.Equal => CesqlBinaryOperator.Equal,
        CesqlTokenKind.NotEqual => CesqlBinaryOperator.NotEqual,
        CesqlTokenKind.Less => CesqlBinaryOperator.Less,
        CesqlTokenKind.LessOrEqual => CesqlBinaryOperator.LessOrEqual,
        CesqlTokenKind.Greater => CesqlBinaryOperator.Greater,
        CesqlTokenKind.GreaterOrEqual => CesqlBinaryOperator.GreaterOrEqual,
        _ => null,
    };

    private CesqlNode ParseAdditive()
    {
        CesqlNode left = ParseMultiplicative();
        while (Current.Kind is CesqlTokenKind.Plus or CesqlTokenKind.Minus)
        {
            CesqlToken op = Advance();
            var kind = op.Kind == CesqlTokenKind.Plus ? CesqlBinaryOperator.Add : CesqlBinaryOperator.Subtract;
            left = new CesqlBinaryNode(kind, left, ParseMultiplicative(), op.Position);
        }

        return left;
    }

    private CesqlNode ParseMultiplicative()
    {
        CesqlNode left = ParseIn();
        while (Current.Kind is CesqlTokenKind.Star or CesqlTokenKind.Slash or CesqlTokenKind.Percent)
        {
            CesqlToken op = Advance();
            CesqlBinaryOperator kind = op.Kind switch
            {
                CesqlTokenKind.Star => CesqlBinaryOperator.Multiply,
                CesqlTokenKind.Slash => CesqlBinaryOperator.Divide,
                _ => CesqlBinaryOperator.Modulo,
            };
            left = new CesqlBinaryNode(kind, left, ParseIn(), op.Position);
        }

        return left;
    }

    private CesqlToken Advance() => _tokens[_next++];

    private CesqlTokenKind PeekKind(int ahead) => _tokens[Math.Min(_next + ahead, _tokens.Count - 1)].Kind;

    private CesqlToken Expect(CesqlTokenKind kind, string what)
    {
        if (Current.Kind != kind)
        {
            throw Error($"Expected {what} at position {Current.Position} but found {Current.Describe()}", Current.Position);
        }

        return Advance();
    }

    private static int ParseInteger(string digits, bool negative, int position)
    {
        if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long magnitude))
        {
            long value = negative ? -magnitude : magnitude;
            if (value is >= int.MinValue and <= int.MaxValue)
            {
                return (int)value;
            }
        }

        string text = (negative ? "-" : "") + digits;
        throw Error($"Integer literal {text} at position {position} is outside the 32-bit signed range", position);
    }
}
