namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>Prefix operators.</summary>
public enum CesqlUnaryOperator
{
    /// <summary><c>NOT x</c>: Boolean → Boolean.</summary>
    Not,

    /// <summary><c>-x</c>: Integer → Integer.</summary>
    Negate,
}
