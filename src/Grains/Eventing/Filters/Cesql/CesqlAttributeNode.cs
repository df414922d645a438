namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>A context attribute or extension reference; <see cref="Name"/> is lower-cased.</summary>
public sealed record CesqlAttributeNode(string Name, int Position) : CesqlNode(Position)
{
    public override string ToString() => Name;
}
