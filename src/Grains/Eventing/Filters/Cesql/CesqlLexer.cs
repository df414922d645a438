namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>
/// Splits CESQL text into tokens. Integers are unsigned here (the parser folds a leading sign into the literal, so
/// <c>-2147483648</c> is valid and <c>5-3</c> is a subtraction). Words are <c>[A-Za-z0-9_]+</c>; keywords match
/// case-insensitively. Whitespace is space, tab, CR and LF.
/// </summary>
internal static class CesqlLexer
{
    private static readonly Dictionary<string, CesqlTokenKind> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AND"] = CesqlTokenKind.And,
        ["OR"] = CesqlTokenKind.Or,
        ["XOR"] = CesqlTokenKind.Xor,
        ["NOT"] = CesqlTokenKind.Not,
        ["LIKE"] = CesqlTokenKind.Like,
        ["IN"] = CesqlTokenKind.In,
        ["EXISTS"] = CesqlTokenKind.Exists,
        ["TRUE"] = CesqlTokenKind.True,
        ["FALSE"] = CesqlTokenKind.False,
    };

    /// <summary>The tokens, always ending with <see cref="CesqlTokenKind.End"/>.</summary>
    /// <exception cref="CesqlParseException">An unterminated string or a character CESQL does not know.</exception>
    public static List<CesqlToken> Tokenize(string text)
    {
        var tokens = new List<CesqlToken>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                i++;
            }
            else if (c is '\'' or '"')
            {
                tokens.Add(ReadString(text, ref i));
            }
            else if (IsWordChar(c))
            {
                int start = i;
                while (i < text.Length && IsWordChar(text[i]))
                {
                    i++;
                }

                string word = text[start..i];
                CesqlTokenKind kind = word.All(char.IsAsciiDigit) ? CesqlTokenKind.Integer
                    : Keywords.GetValueOrDefault(word, CesqlTokenKind.Word);
                tokens.Add(new CesqlToken(kind, word, start));
            }
            else
            {
                tokens.Add(ReadSymbol(text, ref i));
            }
        }

        tokens.Add(new CesqlToken(CesqlTokenKind.End, "", text.Length));
        return tokens;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>Only the delimiting quote can be escaped: <c>'a\'b'</c> is <c>a'b</c>, <c>'a\b'</c> stays <c>a\b</c>.</summary>
    private static CesqlToken ReadString(string text, ref int i)
    {
        int start = i;
        char quote = text[i++];
        var value = new System.Text.StringBuilder();
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] == quote)
            {
                value.Append(quote);
                i += 2;
            }
            else if (c == quote)
            {
                i++;
                return new CesqlToken(CesqlTokenKind.String, value.ToString(), start);
            }
            else
            {
                value.Append(c);
                i++;
            }
        }

        throw CesqlParser.Error($"Unterminated string literal starting at position {start}", start);
    }

    private static CesqlToken ReadSymbol(string text, ref int i)
    {
        int start = i;
        char next = i + 1 < text.Length ? text[i + 1] : '\0';
        (CesqlTokenKind kind, int length) = (text[i], next) switch
        {
            ('(', _) => (CesqlTokenKind.LeftParen, 1),
            (')', _) => (CesqlTokenKind.RightParen, 1),
            (',', _) => (CesqlTokenKind.Comma, 1),
            ('+', _) => (CesqlTokenKind.Plus, 1),
            ('-', _) => (CesqlTokenKind.Minus, 1),
            ('*', _) => (CesqlTokenKind.Star, 1),
            ('/', _) => (CesqlTokenKind.Slash, 1),
            ('%', _) => (CesqlTokenKind.Percent, 1),
            ('=', _) => (CesqlTokenKind.Equal, 1),
            ('!', '=') => (CesqlTokenKind.NotEqual, 2),
            ('<', '>') => (CesqlTokenKind.NotEqual, 2),
            ('<', '=') => (CesqlTokenKind.LessOrEqual, 2),
            ('<', _) => (CesqlTokenKind.Less, 1),
            ('>', '=') => (CesqlTokenKind.GreaterOrEqual, 2),
            ('>', _) => (CesqlTokenKind.Greater, 1),
            _ => throw CesqlParser.Error($"Unexpected character '{text[i]}' at position {start}", start),
        };
        i += length;
        return new CesqlToken(kind, text.Substring(start, length), start);
    }
}
