namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>One CESQL error.</summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Message">A human-readable message that already names the position.</param>
/// <param name="Position">Zero-based character offset in the expression text of the token that caused it.</param>
public sealed record CesqlError(CesqlErrorKind Kind, string Message, int Position)
{
    public override string ToString() => $"{Kind}: {Message}";
}
