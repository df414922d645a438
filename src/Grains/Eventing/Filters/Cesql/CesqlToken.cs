namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>
/// One token. <see cref="Text"/> is the digits of an Integer, the decoded content of a String, the word as written
/// for a Word or keyword, and the symbol for punctuation.
/// </summary>
internal readonly record struct CesqlToken(CesqlTokenKind Kind, string Text, int Position)
{
    /// <summary>How parse errors name the token.</summary>
    public string Describe() => Kind switch
    {
        CesqlTokenKind.End => "end of expression",
        CesqlTokenKind.String => $"string literal '{Text}'",
        _ => $"'{Text}'",
    };
}
