using System.Text.RegularExpressions;
using System.Xml;

namespace Knative.Orleans.Contracts.Meta;

/// <summary>ISO-8601 durations as Knative's delivery fields use them (<c>PT0.2S</c>, <c>PT1M</c>, <c>P1DT2H</c>).</summary>
public static partial class IsoDuration
{
    /// <summary>Parses <c>[-]PnYnMnDTnHnMnS</c> (a year is 365 days, a month 30); false on anything else.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text is null || !Shape().IsMatch(text))
        {
            return false;
        }

        try
        {
            value = XmlConvert.ToTimeSpan(text);
            return true;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
