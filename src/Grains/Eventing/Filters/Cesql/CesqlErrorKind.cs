namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>The error kinds of the CESQL TCK (<c>error:</c> values in its README).</summary>
public enum CesqlErrorKind
{
    /// <summary>The expression text is not valid CESQL (TCK <c>parse</c>).</summary>
    Parse,

    /// <summary>Division or modulo by zero, or an Integer overflow (TCK <c>math</c>).</summary>
    Math,

    /// <summary>An explicit or implicit cast failed (TCK <c>cast</c>).</summary>
    Cast,

    /// <summary>The expression read an attribute the event does not have (TCK <c>missingAttribute</c>).</summary>
    MissingAttribute,

    /// <summary>No function with that name and arity (TCK <c>missingFunction</c>).</summary>
    MissingFunction,

    /// <summary>A function rejected its arguments, e.g. <c>LEFT('abc', -2)</c> (TCK <c>functionEvaluation</c>).</summary>
    FunctionEvaluation,

    /// <summary>Anything else (TCK <c>generic</c>); the engine raises it for broken event adapters only.</summary>
    Generic,
}
