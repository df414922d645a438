namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>
/// A built-in function overload. <see cref="Parameters"/> gives the fixed parameter types (null = any type, used by the
/// explicit casts); a variadic overload takes any number of further <see cref="CesqlType.String"/> arguments.
/// </summary>
internal sealed record CesqlFunction(
    string Name,
    CesqlType?[] Parameters,
    bool IsVariadic,
    CesqlType ReturnType,
    Func<CesqlValue[], CesqlFunctionResult> Body)
{
    public bool Accepts(int arity) => IsVariadic ? arity >= Parameters.Length : arity == Parameters.Length;

    /// <summary>The type argument <paramref name="index"/> is cast to, or null to pass it as is.</summary>
    public CesqlType? ParameterType(int index) => index < Parameters.Length ? Parameters[index] : CesqlType.String;
}
