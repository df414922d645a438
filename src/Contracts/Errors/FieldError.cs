using System.Globalization;

namespace Knative.Orleans.Contracts.Errors;

/// <summary>
/// Validation errors with Knative's <c>apis.FieldError</c> semantics: each error has a message, the field paths it applies
/// to and optional details. <see cref="ToString"/> merges errors with the same message and details (paths sorted), sorts
/// them by message and joins them with newlines, exactly as Knative's webhook renders them.
/// </summary>
public sealed class FieldErrors
{
    /// <summary>No error.</summary>
    public static readonly FieldErrors None = new([]);

    private readonly IReadOnlyList<Entry> _entries;

    private FieldErrors(IReadOnlyList<Entry> entries) => _entries = entries;

    /// <summary>True when there is no error.</summary>
    public bool IsEmpty => _entries.Count == 0;

    /// <summary>The flat entries (message, paths, details).</summary>
    public IReadOnlyList<Entry> Entries => _entries;

    /// <summary>An error with a message on the given paths.</summary>
    public static FieldErrors Of(string message, string? details = null, params string[] paths) =>
        new([new Entry(message, paths.Length == 0 ? [""] : paths, details)]);

    /// <summary><c>missing field(s)</c>.</summary>
    public static FieldErrors Missing(params string[] paths) => Of("missing field(s)", null, paths);

    /// <summary><c>must not set the field(s)</c>.</summary>
    public static FieldErrors Disallowed(params string[] paths) => Of("must not set the field(s)", null, paths);

    /// <summary><c>invalid value: V</c>.</summary>
    public static FieldErrors Invalid(object? value, string path, string? details = null) =>
        Of("invalid value: " + Convert.ToString(value, CultureInfo.InvariantCulture), details, path);

    /// <summary><c>expected L &lt;= V &lt;= U</c>.</summary>
    public static FieldErrors OutOfBounds(long value, long lower, long upper, string path) =>
        Of(string.Create(CultureInfo.InvariantCulture, $"expected {lower} <= {value} <= {upper}"), null, path);

    /// <summary><c>expected exactly one, got both</c>.</summary>
    public static FieldErrors OneOfBoth(params string[] paths) => Of("expected exactly one, got both", null, paths);

    /// <summary><c>expected exactly one, got neither</c>.</summary>
    public static FieldErrors OneOfNeither(params string[] paths) => Of("expected exactly one, got neither", null, paths);

    /// <summary>Combines two sets of errors.</summary>
    public FieldErrors Also(FieldErrors? other) =>
        other is null || other.IsEmpty ? this : IsEmpty ? other : new([.. _entries, .. other._entries]);

    /// <summary>Prefixes every path with <paramref name="field"/> (<c>spec</c> + <c>image</c> = <c>spec.image</c>).</summary>
    public FieldErrors ViaField(string field) => IsEmpty ? this :
        new(_entries.Select(e => e with { Paths = e.Paths.Select(p => Flatten(field, p)).ToArray() }).ToArray());

    /// <summary>Prefixes every path with <c>[i]</c>.</summary>
    public FieldErrors ViaIndex(int index) => ViaField(string.Create(CultureInfo.InvariantCulture, $"[{index}]"));

    /// <summary>Prefixes every path with <c>field[i]</c>.</summary>
    public FieldErrors ViaFieldIndex(string field, int index) => ViaIndex(index).ViaField(field);

    /// <summary>Prefixes every path with <c>[key]</c>.</summary>
    public FieldErrors ViaKey(string key) => ViaField("[" + key + "]");

    /// <summary>Renders as Knative does.</summary>
    public override string ToString()
    {
        var merged = _entries
            .GroupBy(e => (e.Message, e.Details ?? ""))
            .Select(g => new Entry(g.Key.Message, g.SelectMany(e => e.Paths).Distinct().Order(StringComparer.Ordinal).ToArray(),
                g.Key.Item2.Length == 0 ? null : g.Key.Item2))
            .OrderBy(e => e.Message, StringComparer.Ordinal)
            .Select(e => e.Details is null
                ? $"{e.Message}: {string.Join(", ", e.Paths)}"
                : $"{e.Message}: {string.Join(", ", e.Paths)}\n{e.Details}");
        return string.Join("\n", merged);
    }

    private static string Flatten(string prefix, string path)
    {
        var parts = new List<string>();
        foreach (var piece in (prefix + "." + path).Split('.'))
        {
            if (piece.Length == 0)
            {
                continue;
            }

            if (parts.Count > 0 && piece.StartsWith('[') && piece.EndsWith(']'))
            {
                parts[^1] += piece;
            }
            else
            {
                parts.Add(piece);
            }
        }

        return string.Join(".", parts);
    }

    /// <summary>One error: message, paths, details.</summary>
    public sealed record Entry(string Message, string[] Paths, string? Details);
}
