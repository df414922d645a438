using System.Globalization;
using System.Text;

namespace Knative.Orleans.Contracts.Manifests;

/// <summary>
/// JSON paths in the form System.Text.Json reports them (<c>$.spec.traffic[0]['a.b']</c>), and their rendering as
/// Knative field paths (<c>spec.traffic[0].a.b</c>).
/// </summary>
internal static class JsonPaths
{
    // The characters for which System.Text.Json writes a property as ['name'] instead of .name.
    private static readonly char[] SpecialCharacters =
        ['.', ' ', '\'', '/', '"', '[', ']', '(', ')', '\t', '\n', '\r', '\f', '\b', '\\', '\u0085', '\u2028', '\u2029'];

    /// <summary>The path of property <paramref name="name"/> of the object at <paramref name="parent"/>.</summary>
    public static string Child(string parent, string name) =>
        name.IndexOfAny(SpecialCharacters) >= 0 ? parent + "['" + name + "']" : parent + "." + name;

    /// <summary>Splits a path into property names (strings) and indexes (ints).</summary>
    public static List<object> Segments(string? path)
    {
        var segments = new List<object>();
        var p = path ?? "";
        var i = p.StartsWith('$') ? 1 : 0;
        while (i < p.Length)
        {
            if (p[i] == '.')
            {
                var end = p.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? p.Length : end;
                segments.Add(p[(i + 1)..end]);
                i = end;
            }
            else if (p.AsSpan(i).StartsWith("['"))
            {
                var end = p.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? p.Length : end;
                segments.Add(p[(i + 2)..end]);
                i = end + 2;
            }
            else if (p[i] == '[')
            {
                var end = p.IndexOf(']', i);
                end = end < 0 ? p.Length : end;
                segments.Add(int.TryParse(p.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                    ? n
                    : p[(i + 1)..end]);
                i = end + 1;
            }
            else
            {
                i++;
            }
        }

        return segments;
    }

    /// <summary>Renders a path as a Knative field path: <c>spec.template.spec.containers[0].env[1].value</c>.</summary>
    public static string Render(string? path)
    {
        var sb = new StringBuilder();
        foreach (var segment in Segments(path))
        {
            if (segment is int index)
            {
                sb.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                sb.Append(sb.Length == 0 ? "" : ".").Append((string)segment);
            }
        }

        return sb.ToString();
    }
}
