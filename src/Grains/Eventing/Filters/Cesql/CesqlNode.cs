namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>
/// An immutable node of a parsed CESQL expression. The set of node types is closed (the constructor is not public).
/// <see cref="object.ToString"/> prints the node fully parenthesised with upper-case keywords, so a test can see how
/// precedence was applied: <c>TRUE OR TRUE AND FALSE</c> prints as <c>((TRUE OR TRUE) AND FALSE)</c>.
/// </summary>
public abstract record CesqlNode
{
    private protected CesqlNode(int position) => Position = position;

    /// <summary>Zero-based character offset of the token that defines the node (the operator for operations).</summary>
    public int Position { get; init; }

    public abstract override string ToString();
}
