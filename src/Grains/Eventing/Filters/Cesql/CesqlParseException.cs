namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>
/// Thrown by <see cref="CesqlExpression.Parse"/> when the text is not valid CESQL. Admission code that treats a bad
/// expression as an expected outcome uses <see cref="CesqlExpression.TryParse"/> instead, which returns the same error.
/// </summary>
public sealed class CesqlParseException : Exception
{
    public CesqlParseException(CesqlError error)
        : base(error.Message)
    {
        Error = error;
    }

    /// <summary>The parse error (<see cref="CesqlErrorKind.Parse"/>).</summary>
    public CesqlError Error { get; }

    /// <summary>Zero-based character offset where parsing failed.</summary>
    public int Position => Error.Position;
}
