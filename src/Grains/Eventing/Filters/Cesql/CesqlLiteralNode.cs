namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>A Boolean, Integer or String literal.</summary>
public sealed record CesqlLiteralNode(CesqlValue Value, int Position) : CesqlNode(Position)
{
    public override string ToString() => Value.Type switch
    {
        CesqlType.Boolean => Value.AsBoolean ? "TRUE" : "FALSE",
        CesqlType.Integer => Value.ToString(),
        _ => "'" + Value.AsString.Replace("'", "\\'", StringComparison.Ordinal) + "'",
    };
}
