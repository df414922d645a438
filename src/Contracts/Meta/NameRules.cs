using System.Globalization;
using System.Text.RegularExpressions;

namespace Knative.Orleans.Contracts.Meta;

/// <summary>
/// Kubernetes name rules with apimachinery's messages (k8s.io/apimachinery pkg/util/validation): each check returns the
/// list of problems, empty when the value is valid.
/// </summary>
internal static partial class NameRules
{
    public const int LabelMaxLength = 63;
    public const int SubdomainMaxLength = 253;
    private const string Dns1035Format = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1123SubdomainFormat = Dns1123LabelFormat + @"(\." + Dns1123LabelFormat + ")*";
    private const string QualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string QualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    /// <summary>IsDNS1035Label: <c>[a-z]([-a-z0-9]*[a-z0-9])?</c>, at most 63 characters.</summary>
    public static List<string> Dns1035Label(string value) => Check(value, LabelMaxLength, Dns1035().IsMatch(value),
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        Dns1035Format, "my-name", "abc-123");

    /// <summary>NameIsDNS1035Label: with <paramref name="prefix"/> (generateName), a trailing '-' is allowed.</summary>
    public static List<string> Dns1035Name(string value, bool prefix) => Dns1035Label(prefix ? MaskTrailingDash(value) : value);

    /// <summary>IsDNS1123Label: <c>[a-z0-9]([-a-z0-9]*[a-z0-9])?</c>, at most 63 characters.</summary>
    public static List<string> Dns1123Label(string value) => Check(value, LabelMaxLength, Dns1123Label().IsMatch(value),
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
        Dns1123LabelFormat, "my-name", "123-abc");

    /// <summary>IsDNS1123Subdomain: dot-separated DNS-1123 labels, at most 253 characters.</summary>
    public static List<string> Dns1123Subdomain(string value) => Check(value, SubdomainMaxLength, Dns1123Subdomain().IsMatch(value),
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        Dns1123SubdomainFormat, "example.com");

    /// <summary>IsQualifiedName: an optional DNS-1123 subdomain prefix and '/', then a name of at most 63 characters.</summary>
    public static List<string> QualifiedName(string value)
    {
        var errors = new List<string>();
        var parts = value.Split('/');
        if (parts.Length > 2)
        {
            errors.Add("a qualified name " + RegexError(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc")
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            return errors;
        }

        var name = parts[^1];
        if (parts.Length == 2)
        {
            errors.AddRange(parts[0].Length == 0 ? ["prefix part must be non-empty"]
                : Dns1123Subdomain(parts[0]).Select(m => "prefix part " + m));
        }

        if (name.Length == 0)
        {
            errors.Add("name part must be non-empty");
        }
        else if (name.Length > LabelMaxLength)
        {
            errors.Add("name part " + MaxLenError(LabelMaxLength));
        }

        if (!QualifiedName().IsMatch(name))
        {
            errors.Add("name part " + RegexError(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc"));
        }

        return errors;
    }

    /// <summary>Go's <c>fmt.Sprint</c> of a string slice: <c>[a b]</c>.</summary>
    public static string GoList(IEnumerable<string> messages) => "[" + string.Join(" ", messages) + "]";

    /// <summary>Go's <c>%q</c> for the strings that appear in messages: quoted, with quotes, backslashes and controls escaped.</summary>
    public static string GoQuote(string value)
    {
        var sb = new System.Text.StringBuilder("\"");
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' or '\u007f' => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    // apimachinery quirk, kept so the same names pass: "abc-" becomes "aba" (two characters dropped, one appended).
    private static string MaskTrailingDash(string name) =>
        name.Length > 1 && name.EndsWith('-') ? name[..^2] + "a" : name;

    private static List<string> Check(string value, int max, bool matches, string message, string format, params string[] examples)
    {
        var errors = new List<string>();
        if (value.Length > max)
        {
            errors.Add(MaxLenError(max));
        }

        if (!matches)
        {
            errors.Add(RegexError(message, format, examples));
        }

        return errors;
    }

    private static string MaxLenError(int length) =>
        string.Create(CultureInfo.InvariantCulture, $"must be no more than {length} characters");

    // "(e.g. 'my-name',  or 'abc-123', regex used ...)": the double space is apimachinery's.
    private static string RegexError(string message, string format, params string[] examples) =>
        message + " (e.g. " + string.Join(" or ", examples.Select(e => "'" + e + "', ")) + "regex used for validation is '" + format + "')";

    [GeneratedRegex("^" + Dns1035Format + "$")]
    private static partial Regex Dns1035();

    [GeneratedRegex("^" + Dns1123LabelFormat + "$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^" + Dns1123SubdomainFormat + "$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^" + QualifiedNameFormat + "$")]
    private static partial Regex QualifiedName();
}
