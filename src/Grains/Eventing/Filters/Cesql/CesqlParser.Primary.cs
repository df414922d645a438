using System.Collections.Immutable;

namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>The tight-binding half of the parser: IN, LIKE, prefix operators and primaries.</summary>
internal sealed partial class CesqlParser
{
    private CesqlNode ParseIn()
    {
        CesqlNode operand = ParseLike();
        while (Current.Kind == CesqlTokenKind.In
            || (Current.Kind == CesqlTokenKind.Not && PeekKind(1) == CesqlTokenKind.In))
        {
            bool negated = Current.Kind == CesqlTokenKind.Not;
            int position = Current.Position;
            _next += negated ? 2 : 1;
            Expect(CesqlTokenKind.LeftParen, "'(' to open the IN set");
            ImmutableArray<CesqlNode> set = ParseList(allowEmpty: false, "the IN set");
            operand = new CesqlInNode(operand, set, negated, position);
        }

        return operand;
    }

    private CesqlNode ParseLike()
    {
        CesqlNode operand = ParseUnary();
        while (Current.Kind == CesqlTokenKind.Like
            || (Current.Kind == CesqlTokenKind.Not && PeekKind(1) == CesqlTokenKind.Like))
        {
            bool negated = Current.Kind == CesqlTokenKind.Not;
            int position = Current.Position;
            _next += negated ? 2 : 1;
            if (Current.Kind != CesqlTokenKind.String)
            {
                throw Error($"LIKE needs a string literal pattern at position {Current.Position} but found {Current.Describe()}", Current.Position);
            }

            operand = new CesqlLikeNode(operand, Advance().Text, negated, position);
        }

        return operand;
    }

    private CesqlNode ParseUnary()
    {
        CesqlToken token = Current;
        bool sign = token.Kind is CesqlTokenKind.Minus or CesqlTokenKind.Plus;
        if (sign && PeekKind(1) == CesqlTokenKind.Integer)
        {
            // A sign directly before digits is part of the literal, which is how -2147483648 fits in int32.
            Advance();
            string digits = Advance().Text;
            int value = ParseInteger(digits, token.Kind == CesqlTokenKind.Minus, token.Position);
            return new CesqlLiteralNode(value, token.Position);
        }

        if (token.Kind is CesqlTokenKind.Not or CesqlTokenKind.Minus)
        {
            Advance();
            if (++_nesting > MaxNesting)
            {
                throw Error($"Expression is nested deeper than {MaxNesting} levels at position {token.Position}", token.Position);
            }

            CesqlNode operand = ParseUnary();
            _nesting--;
            var op = token.Kind == CesqlTokenKind.Not ? CesqlUnaryOperator.Not : CesqlUnaryOperator.Negate;
            return new CesqlUnaryNode(op, operand, token.Position);
        }

        return ParsePrimary();
    }

    private CesqlNode ParsePrimary()
    {
        CesqlToken token = Advance();
        switch (token.Kind)
        {
            case CesqlTokenKind.Integer:
                return new CesqlLiteralNode(ParseInteger(token.Text, negative: false, token.Position), token.Position);
            case CesqlTokenKind.String:
                return new CesqlLiteralNode(token.Text, token.Position);
            case CesqlTokenKind.True or CesqlTokenKind.False:
                return new CesqlLiteralNode(token.Kind == CesqlTokenKind.True, token.Position);
            case CesqlTokenKind.Exists:
                CesqlToken name = Expect(CesqlTokenKind.Word, "an attribute name after EXISTS");
                return new CesqlExistsNode(AttributeName(name), token.Position);
            case CesqlTokenKind.LeftParen:
                CesqlNode inner = ParseExpression();
                Expect(CesqlTokenKind.RightParen, "')'");
                return inner;
            case CesqlTokenKind.Word when Current.Kind == CesqlTokenKind.LeftParen:
                Advance();
                return new CesqlFunctionCallNode(FunctionName(token), ParseList(allowEmpty: true, "the argument list"), token.Position);
            case CesqlTokenKind.Word:
                return new CesqlAttributeNode(AttributeName(token), token.Position);
            default:
                throw Error($"Expected an operand at position {token.Position} but found {token.Describe()}", token.Position);
        }
    }

    /// <summary>Parses <c>e1, e2, …)</c> after the opening parenthesis.</summary>
    private ImmutableArray<CesqlNode> ParseList(bool allowEmpty, string what)
    {
        var items = ImmutableArray.CreateBuilder<CesqlNode>();
        if (allowEmpty && Current.Kind == CesqlTokenKind.RightParen)
        {
            Advance();
            return items.ToImmutable();
        }

        items.Add(ParseExpression());
        while (Current.Kind == CesqlTokenKind.Comma)
        {
            Advance();
            items.Add(ParseExpression());
        }

        Expect(CesqlTokenKind.RightParen, $"',' or ')' in {what}");
        return items.ToImmutable();
    }

    /// <summary>Attribute names are letters and digits (CloudEvents naming), matched case-insensitively.</summary>
    private static string AttributeName(CesqlToken token)
    {
        if (token.Text.Contains('_', StringComparison.Ordinal))
        {
            throw Error($"Invalid attribute name '{token.Text}' at position {token.Position}: names are letters and digits only", token.Position);
        }

        return token.Text.ToLowerInvariant();
    }

    /// <summary>Function names are letters and underscores, starting with a letter (e.g. CONCAT_WS).</summary>
    private static string FunctionName(CesqlToken token)
    {
        if (!char.IsAsciiLetter(token.Text[0]) || token.Text.Any(char.IsAsciiDigit))
        {
            throw Error($"Invalid function name '{token.Text}' at position {token.Position}: names are letters and '_', starting with a letter", token.Position);
        }

        return token.Text.ToUpperInvariant();
    }
}
