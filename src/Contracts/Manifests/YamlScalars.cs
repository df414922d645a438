using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Knative.Orleans.Contracts.Manifests;

/// <summary>
/// Types plain YAML scalars by the YAML 1.2 core schema and decides which strings must be quoted when written back.
/// </summary>
internal static partial class YamlScalars
{
    /// <summary>The JSON value of a plain (unquoted, untagged) scalar.</summary>
    public static JsonNode? ResolvePlain(string value)
    {
        if (IsNull(value))
        {
            return null;
        }

        if (TryBool(value, out var b))
        {
            return JsonValue.Create(b);
        }

        return TryNumber(value, out var number) ? number : JsonValue.Create(value);
    }

    /// <summary>The core-schema null forms: empty, <c>~</c>, <c>null</c>, <c>Null</c>, <c>NULL</c>.</summary>
    public static bool IsNull(string value) => value is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>The core-schema booleans: true/True/TRUE and false/False/FALSE.</summary>
    public static bool TryBool(string value, out bool result)
    {
        result = value is "true" or "True" or "TRUE";
        return result || value is "false" or "False" or "FALSE";
    }

    /// <summary>
    /// A core-schema integer (decimal, <c>0o</c> octal, <c>0x</c> hex) or float, as a JSON number. <c>.inf</c> and <c>.nan</c>
    /// have no JSON form and stay strings.
    /// </summary>
    public static bool TryNumber(string value, out JsonNode? number)
    {
        number = null;
        string? text = null;
        if (HexInt().IsMatch(value))
        {
            text = BigInteger.Parse("0" + value[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
                .ToString(CultureInfo.InvariantCulture);
        }
        else if (OctalInt().IsMatch(value))
        {
            var n = BigInteger.Zero;
            foreach (var c in value.AsSpan(2))
            {
                n = (n * 8) + (c - '0');
            }

            text = n.ToString(CultureInfo.InvariantCulture);
        }
        else if (DecimalNumber().IsMatch(value))
        {
            text = NormalizeDecimal(value);
        }

        if (text is null)
        {
            return false;
        }

        number = JsonNode.Parse(text);
        return true;
    }

    /// <summary>
    /// True when <paramref name="value"/>, written as a plain scalar, would be read back as something other than that string,
    /// either by our YAML 1.2 reader or by YAML 1.1 readers such as kubectl's (<c>yes</c>, <c>on</c>, <c>1_000</c>, <c>1:30</c>).
    /// Syntax (<c>: </c>, leading indicators, spaces) is left to the emitter, which quotes what it cannot write plain.
    /// </summary>
    public static bool NeedsQuotes(string value) =>
        IsNull(value) || TryBool(value, out _) || TryNumber(value, out _) || SpecialFloat().IsMatch(value)
        || Yaml11Bool().IsMatch(value) || Yaml11Number().IsMatch(value);

    // YAML allows "+1", "007", ".5" and "5."; JSON allows none of them.
    private static string NormalizeDecimal(string value)
    {
        var sign = value[0] == '-' ? "-" : "";
        var body = value[0] is '+' or '-' ? value[1..] : value;
        var e = body.IndexOfAny(['e', 'E']);
        var exponent = e < 0 ? "" : "e" + body[(e + 1)..];
        var mantissa = e < 0 ? body : body[..e];
        var dot = mantissa.IndexOf('.');
        var integer = (dot < 0 ? mantissa : mantissa[..dot]).TrimStart('0');
        var fraction = dot < 0 ? "" : mantissa[(dot + 1)..];
        return sign + (integer.Length == 0 ? "0" : integer) + (fraction.Length == 0 ? "" : "." + fraction) + exponent;
    }

    [GeneratedRegex("^0x[0-9a-fA-F]+$")]
    private static partial Regex HexInt();

    [GeneratedRegex("^0o[0-7]+$")]
    private static partial Regex OctalInt();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex DecimalNumber();

    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex SpecialFloat();

    [GeneratedRegex("^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|=)$")]
    private static partial Regex Yaml11Bool();

    [GeneratedRegex(@"^[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|\.[0-9_]+([eE][-+]?[0-9]+)?)$")]
    private static partial Regex Yaml11Number();
}
