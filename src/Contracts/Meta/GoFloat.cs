using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Knative.Orleans.Contracts.Meta;

/// <summary>
/// Go's <c>fmt</c> verbs for a <c>float64</c>, so that messages copied from Knative read the same: <c>%v</c> (shortest
/// digits, exponent form below 1e-4 and from 1e6 on: <c>0.5</c>, <c>1e+06</c>, <c>1e-05</c>) and <c>%f</c> (six decimals).
/// </summary>
public static partial class GoFloat
{
    /// <summary>
    /// Go's <c>strconv.ParseFloat(s, 64)</c> for decimal text: an optional sign, digits with an optional point, an optional
    /// exponent (<c>1.5</c>, <c>.5</c>, <c>2.</c>, <c>1e3</c>); also <c>inf</c> / <c>infinity</c> (optionally signed) and
    /// <c>nan</c>, in any case. No spaces, no digit separators. False when malformed or beyond ±MaxFloat64 (Go's range
    /// error). Go's hexadecimal form (<c>0x1p-2</c>) is not read.
    /// </summary>
    public static bool TryParse(string? text, out double value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var unsigned = text[0] is '+' or '-' ? text[1..] : text;
        if (unsigned.Equals("inf", StringComparison.OrdinalIgnoreCase) || unsigned.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        if (text.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }

        return DecimalFloat().IsMatch(text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }

    /// <summary>
    /// Go's <c>%v</c> (<c>strconv.FormatFloat(v, 'g', -1, 64)</c>): the shortest digits that round-trip, written as
    /// <c>d.ddde±XX</c> when the decimal exponent is below -4 or at least 6, else in plain decimal form.
    /// </summary>
    public static string FormatV(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }

        // .NET's "R" gives the same shortest round-trip digits as Go; only the layout differs.
        var (digits, dp) = Digits(Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));
        var sb = new StringBuilder(value < 0 ? "-" : "");
        var exp = dp - 1;
        if (exp < -4 || exp >= 6)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }

            return sb.Append(exp < 0 ? "e-" : "e+")
                .Append(Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture)).ToString();
        }

        if (dp <= 0)
        {
            return sb.Append("0.").Append('0', -dp).Append(digits).ToString();
        }

        if (dp >= digits.Length)
        {
            return sb.Append(digits).Append('0', dp - digits.Length).ToString();
        }

        return sb.Append(digits, 0, dp).Append('.').Append(digits, dp, digits.Length - dp).ToString();
    }

    /// <summary>Go's <c>%f</c>: six decimals (<c>-2.000000</c>).</summary>
    public static string FormatF(double value) => value.ToString("F6", CultureInfo.InvariantCulture);

    /// <summary>Significant digits (no leading or trailing zeros) and the decimal point position: value = 0.digits × 10^dp.</summary>
    private static (string Digits, int Dp) Digits(string roundTrip)
    {
        var e = roundTrip.IndexOf('E', StringComparison.Ordinal);
        var exponent = e < 0 ? 0 : int.Parse(roundTrip.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? roundTrip : roundTrip[..e];
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integer = point < 0 ? mantissa : mantissa[..point];
        var all = point < 0 ? mantissa : integer + mantissa[(point + 1)..];
        var trimmed = all.TrimStart('0');
        return (trimmed.TrimEnd('0'), integer.Length + exponent - (all.Length - trimmed.Length));
    }

    [GeneratedRegex("^[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?\\z")]
    private static partial Regex DecimalFloat();
}
