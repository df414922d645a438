namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>What a function body returns: always a value, plus an error when it rejected its arguments.</summary>
internal readonly record struct CesqlFunctionResult(CesqlValue Value, CesqlErrorKind? ErrorKind = null, string Message = "")
{
    public static CesqlFunctionResult Ok(CesqlValue value) => new(value);

    public static CesqlFunctionResult Fail(CesqlValue value, CesqlErrorKind kind, string message) => new(value, kind, message);
}
