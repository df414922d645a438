using System.Globalization;

namespace Knative.Orleans.Contracts;

/// <summary>RFC 3339 timestamps as Kubernetes writes them (UTC, second precision, <c>Z</c>).</summary>
public static class Timestamps
{
    /// <summary>Formats <paramref name="time"/> as <c>yyyy-MM-ddTHH:mm:ssZ</c>.</summary>
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
