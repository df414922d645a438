namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>
/// <c>x [NOT] LIKE 'pattern'</c>. <see cref="Pattern"/> is the decoded string literal; in it <c>%</c> matches any run,
/// <c>_</c> one character, and <c>\%</c> / <c>\_</c> the literal character (any other <c>\</c> is literal).
/// </summary>
public sealed record CesqlLikeNode : CesqlNode
{
    private readonly string _pattern = "";

    public CesqlLikeNode(CesqlNode operand, string pattern, bool negated, int position)
        : base(position)
    {
        Operand = operand;
        Pattern = pattern;
        Negated = negated;
    }

    public CesqlNode Operand { get; init; }

    public string Pattern
    {
        get => _pattern;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _pattern = value;
            Matcher = CesqlLikePattern.Compile(value);
        }
    }

    public bool Negated { get; init; }

    /// <summary>The pattern compiled once at parse time (equal when the pattern text is equal).</summary>
    internal CesqlLikePattern Matcher { get; private init; } = CesqlLikePattern.Compile("");

    public override string ToString() =>
        $"({Operand} {(Negated ? "NOT LIKE" : "LIKE")} '{Pattern.Replace("'", "\\'", StringComparison.Ordinal)}')";
}
