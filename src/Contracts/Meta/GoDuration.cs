using System.Globalization;
using System.Text;

namespace Knative.Orleans.Contracts.Meta;

/// <summary>
/// Go's <c>time.ParseDuration</c>, which Knative uses for annotation values such as <c>autoscaling.knative.dev/window</c>:
/// an optional sign, then one or more decimal numbers each with a unit (<c>ns</c>, <c>us</c>, <c>µs</c>, <c>ms</c>,
/// <c>s</c>, <c>m</c>, <c>h</c>), e.g. <c>1h30m</c>, <c>1.5s</c>, <c>-300ms</c>; <c>0</c> alone is allowed.
/// </summary>
public static class GoDuration
{
    /// <summary>One second in nanoseconds.</summary>
    public const long Second = 1_000_000_000;

    /// <summary>Parses <paramref name="text"/> into nanoseconds. False when malformed or out of range (±292 years).</summary>
    public static bool TryParse(string text, out long nanoseconds)
    {
        nanoseconds = 0;
        var s = text.AsSpan();
        var negative = s.Length > 0 && s[0] == '-';
        s = s.Length > 0 && s[0] is '-' or '+' ? s[1..] : s;
        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        decimal total = 0;
        while (!s.IsEmpty)
        {
            var digits = 0;
            while (digits < s.Length && (char.IsAsciiDigit(s[digits]) || s[digits] == '.'))
            {
                digits++;
            }

            var number = s[..digits];
            if (number.IsEmpty || number is "." || number.IndexOf('.') != number.LastIndexOf('.')
                || !decimal.TryParse(number.StartsWith(".") ? "0" + number.ToString() : number.ToString(),
                    System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            s = s[digits..];
            var unitLength = 0;
            while (unitLength < s.Length && !char.IsAsciiDigit(s[unitLength]) && s[unitLength] != '.')
            {
                unitLength++;
            }

            if (Unit(s[..unitLength]) is not { } unit)
            {
                return false;
            }

            s = s[unitLength..];
            total += value * unit;
            if (total > long.MaxValue)
            {
                return false;
            }
        }

        nanoseconds = (long)decimal.Truncate(negative ? -total : total);
        return true;
    }

    private static long? Unit(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1,
        "us" or "µs" or "μs" => 1_000,
        "ms" => 1_000_000,
        "s" => Second,
        "m" => 60 * Second,
        "h" => 3600 * Second,
        _ => null,
    };

    /// <summary>Parses a Go duration into a <see cref="TimeSpan"/> (100 ns precision). False when malformed.</summary>
    public static bool TryParseTimeSpan(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text is null || !TryParse(text.Trim(), out long nanoseconds))
        {
            return false;
        }

        value = TimeSpan.FromTicks(nanoseconds / 100);
        return true;
    }

    /// <summary>Formats like Go's <c>Duration.String()</c> for whole milliseconds: <c>0s</c>, <c>500ms</c>, <c>6s</c>, <c>1m0s</c>, <c>1h0m0s</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var sb = new StringBuilder();
        if (value < TimeSpan.Zero)
        {
            sb.Append('-');
            value = value.Negate();
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            return sb.Append(value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)).Append("ms").ToString();
        }

        var hours = (long)value.TotalHours;
        if (hours > 0)
        {
            sb.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || value.Minutes > 0)
        {
            sb.Append(value.Minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        var seconds = value.Seconds + (value.Milliseconds / 1000.0);
        return sb.Append(seconds.ToString(CultureInfo.InvariantCulture)).Append('s').ToString();
    }
}
