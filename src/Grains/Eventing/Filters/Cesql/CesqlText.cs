namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>
/// CESQL counts characters as Unicode code points (spec 3.1: "Sequence of Unicode characters"), so LENGTH('😀') is 1
/// and LIKE's <c>_</c> matches one emoji. A lone surrogate counts as one character and is kept as is.
/// </summary>
internal static class CesqlText
{
    /// <summary>The code points of <paramref name="s"/>.</summary>
    public static int[] CodePoints(string s)
    {
        var result = new int[Length(s)];
        for (int i = 0, k = 0; i < s.Length; k++)
        {
            if (IsPair(s, i))
            {
                result[k] = char.ConvertToUtf32(s[i], s[i + 1]);
                i += 2;
            }
            else
            {
                result[k] = s[i];
                i++;
            }
        }

        return result;
    }

    /// <summary>Number of code points.</summary>
    public static int Length(string s)
    {
        int length = 0;
        for (int i = 0; i < s.Length; i += IsPair(s, i) ? 2 : 1)
        {
            length++;
        }

        return length;
    }

    /// <summary>The <paramref name="count"/> code points starting at code point <paramref name="start"/> (both in range).</summary>
    public static string Slice(string s, int start, int count)
    {
        int from = CharOffset(s, 0, start);
        int to = CharOffset(s, from, count);
        return s[from..to];
    }

    private static int CharOffset(string s, int offset, int codePoints)
    {
        for (int k = 0; k < codePoints && offset < s.Length; k++)
        {
            offset += IsPair(s, offset) ? 2 : 1;
        }

        return offset;
    }

    private static bool IsPair(string s, int i) =>
        char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]);
}
