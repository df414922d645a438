using System.Collections.Immutable;

namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>A function invocation; <see cref="Name"/> is upper-cased. Dispatch (name + arity) happens at evaluation.</summary>
public sealed record CesqlFunctionCallNode(string Name, ImmutableArray<CesqlNode> Arguments, int Position)
    : CesqlNode(Position)
{
    public override string ToString() => $"{Name}({string.Join(", ", Arguments)})";
}
