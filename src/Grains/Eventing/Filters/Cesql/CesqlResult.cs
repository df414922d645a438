namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>
/// The outcome of evaluating a CESQL expression: always a value (the zero value of the failing sub-expression's type
/// propagates up), plus the error list in the order the errors were raised. Deconstructs to (value, first error).
/// </summary>
public sealed class CesqlResult
{
    public CesqlResult(CesqlValue value, IReadOnlyList<CesqlError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        Value = value;
        Errors = errors;
    }

    public CesqlValue Value { get; }

    /// <summary>Every error raised during evaluation; empty when there was none.</summary>
    public IReadOnlyList<CesqlError> Errors { get; }

    /// <summary>The first error, or null.</summary>
    public CesqlError? Error => Errors.Count > 0 ? Errors[0] : null;

    /// <summary>
    /// The Subscriptions API / Knative trigger rule (fail-fast): the event passes only when the value is Boolean
    /// <c>true</c> and no error was raised.
    /// </summary>
    public bool IsMatch => Errors.Count == 0 && Value.Type == CesqlType.Boolean && Value.AsBoolean;

    public void Deconstruct(out CesqlValue value, out CesqlError? error)
    {
        value = Value;
        error = Error;
    }

    public override string ToString() => Error is null ? Value.ToString() : $"{Value} ({Error})";
}
