using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Contracts.Serving;

/// <summary>Names Knative derives for child resources, and the Kubernetes name checks.</summary>
public static class Names
{
    private const int Longest = 63;
    private const int Md5HexLength = 32;

    /// <summary>
    /// The name of the revision stamped from generation <paramref name="generation"/> of configuration
    /// <paramref name="configurationName"/>: <c>{config}-{generation:D5}</c> (<c>hello-00001</c>; wider after 99999). When that
    /// would exceed 63 characters, the config name is cut and md5(config name) is inserted, as knative's <c>kmeta.ChildName</c>
    /// does: a 58-character name gives its first 25 characters + 32 hex digits + <c>-00001</c> (63 characters).
    /// </summary>
    public static string RevisionName(string configurationName, long generation)
    {
        ArgumentNullException.ThrowIfNull(configurationName);
        ArgumentOutOfRangeException.ThrowIfNegative(generation);
        return ChildName(configurationName, "-" + generation.ToString("D5", CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// knative.dev/pkg <c>kmeta.ChildName</c>: <c>parent + suffix</c> when that fits in 63 characters; otherwise the first
    /// <c>31 - suffix.Length</c> characters of the parent, the md5 of the whole parent in lowercase hex, then the suffix.
    /// Names are ASCII, so characters and bytes count the same.
    /// </summary>
    public static string ChildName(string parent, string suffix)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(suffix);
        if (parent.Length <= Longest - suffix.Length)
        {
            return parent + suffix;
        }

        var head = Longest - Md5HexLength - suffix.Length;
        if (head <= 0)
        {
            // The suffix alone leaves no room: hash parent + suffix and pad with the start of the suffix.
            var hash = Md5Hex(parent + suffix);
            var result = parent[..Math.Min(parent.Length, Longest - Md5HexLength)] + hash;
            result += suffix[..Math.Max(0, Math.Min(suffix.Length, Longest - result.Length))];
            return TrimNonAlphanumericEnd(result);
        }

        return parent[..head] + Md5Hex(parent) + suffix;
    }

    /// <summary>True for a DNS-1035 label: <c>[a-z]([-a-z0-9]*[a-z0-9])?</c>, at most 63 characters (Knative resource names).</summary>
    public static bool IsDns1035Label(string? value) => value is not null && NameRules.Dns1035Label(value).Count == 0;

    /// <summary>True for a DNS-1123 label: <c>[a-z0-9]([-a-z0-9]*[a-z0-9])?</c>, at most 63 characters (namespaces).</summary>
    public static bool IsDns1123Label(string? value) => value is not null && NameRules.Dns1123Label(value).Count == 0;

    private static string TrimNonAlphanumericEnd(string value)
    {
        var end = value.Length;
        while (end > 0 && !char.IsAsciiLetterOrDigit(value[end - 1]))
        {
            end--;
        }

        return value[..end];
    }

    private static string Md5Hex(string text) =>
#pragma warning disable CA5351 // Not security: knative uses md5 only to shorten names, and the names must match its own.
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351
}
