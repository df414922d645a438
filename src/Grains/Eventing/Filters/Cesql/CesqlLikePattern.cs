namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>
/// A compiled LIKE pattern. Matching is the classic wildcard walk that backtracks only to the last <c>%</c>, so it is
/// O(text × pattern) at worst and never exponential (no regular expressions on user input).
/// </summary>
internal sealed class CesqlLikePattern : IEquatable<CesqlLikePattern>
{
    private const int AnyRun = -1;
    private const int AnyOne = -2;

    private readonly int[] _codes;

    private CesqlLikePattern(string source, int[] codes)
    {
        Source = source;
        _codes = codes;
    }

    public string Source { get; }

    /// <summary><c>\%</c> and <c>\_</c> are literals; a <c>\</c> before anything else is itself literal.</summary>
    public static CesqlLikePattern Compile(string pattern)
    {
        int[] chars = CesqlText.CodePoints(pattern);
        var codes = new List<int>(chars.Length);
        for (int i = 0; i < chars.Length; i++)
        {
            int c = chars[i];
            if (c == '\\' && i + 1 < chars.Length && chars[i + 1] is '%' or '_')
            {
                codes.Add(chars[++i]);
            }
            else if (c == '%')
            {
                if (codes.Count == 0 || codes[^1] != AnyRun)
                {
                    codes.Add(AnyRun);
                }
            }
            else
            {
                codes.Add(c == '_' ? AnyOne : c);
            }
        }

        return new CesqlLikePattern(pattern, [.. codes]);
    }

    /// <summary>True when the whole of <paramref name="text"/> matches (case-sensitive).</summary>
    public bool IsMatch(string text)
    {
        int[] s = CesqlText.CodePoints(text);
        int p = 0, i = 0, star = -1, mark = 0;
        while (i < s.Length)
        {
            if (p < _codes.Length && (_codes[p] == AnyOne || _codes[p] == s[i]))
            {
                p++;
                i++;
            }
            else if (p < _codes.Length && _codes[p] == AnyRun)
            {
                star = p++;
                mark = i;
            }
            else if (star >= 0)
            {
                p = star + 1;
                i = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < _codes.Length && _codes[p] == AnyRun)
        {
            p++;
        }

        return p == _codes.Length;
    }

    public bool Equals(CesqlLikePattern? other) => other is not null && Source == other.Source;

    public override bool Equals(object? obj) => Equals(obj as CesqlLikePattern);

    public override int GetHashCode() => Source.GetHashCode(StringComparison.Ordinal);
}
