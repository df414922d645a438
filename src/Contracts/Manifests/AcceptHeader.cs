using System.Globalization;

namespace Knative.Orleans.Contracts.Manifests;

/// <summary>Content negotiation for <see cref="ManifestSerializer.FormatFromAccept"/>.</summary>
internal static class AcceptHeader
{
    public static ManifestFormat? Choose(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return ManifestFormat.Json;
        }

        (ManifestFormat Format, double Q, int Specificity)? best = null;
        foreach (var range in accept.Split(','))
        {
            var parts = range.Split(';');
            var mediaType = parts[0].Trim().ToLowerInvariant();
            var q = Quality(parts);
            if (q <= 0 || Match(mediaType) is not { } match)
            {
                continue;
            }

            if (best is null || q > best.Value.Q || (q == best.Value.Q && match.Specificity > best.Value.Specificity))
            {
                best = (match.Format, q, match.Specificity);
            }
        }

        return best?.Format;
    }

    private static (ManifestFormat Format, int Specificity)? Match(string mediaType) => mediaType switch
    {
        "*/*" or "application/*" => (ManifestFormat.Json, mediaType == "*/*" ? 0 : 1),
        "text/*" => (ManifestFormat.Yaml, 1),
        _ => ManifestSerializer.FormatFromMediaType(mediaType) is { } format ? (format, 2) : null,
    };

    private static double Quality(string[] parts)
    {
        foreach (var parameter in parts.Skip(1))
        {
            var kv = parameter.Split('=', 2);
            if (kv.Length == 2 && kv[0].Trim().Equals("q", StringComparison.OrdinalIgnoreCase))
            {
                return double.TryParse(kv[1].Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var q)
                    ? Math.Min(q, 1)
                    : 0;
            }
        }

        return 1;
    }
}
