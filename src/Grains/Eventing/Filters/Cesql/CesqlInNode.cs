using System.Collections.Immutable;

namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary><c>x [NOT] IN (y1, y2, …)</c>; the set elements are cast to the type of <c>x</c>.</summary>
public sealed record CesqlInNode(CesqlNode Operand, ImmutableArray<CesqlNode> Set, bool Negated, int Position)
    : CesqlNode(Position)
{
    public override string ToString() =>
        $"({Operand} {(Negated ? "NOT IN" : "IN")} ({string.Join(", ", Set)}))";
}
