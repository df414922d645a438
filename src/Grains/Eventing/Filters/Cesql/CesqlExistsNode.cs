namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary><c>EXISTS name</c>: true when the event carries the attribute; never raises an error.</summary>
public sealed record CesqlExistsNode(string Name, int Position) : CesqlNode(Position)
{
    public override string ToString() => $"(EXISTS {Name})";
}
