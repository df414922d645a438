using System.Globalization;

namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>
/// The CESQL casts (spec 3.7, KNATIVE-NOTES §5), shared by the implicit casts of operators and the INT, BOOL and
/// STRING functions. Integer→Boolean and anything→String always succeed.
/// </summary>
internal static class CesqlCasts
{
    /// <summary>
    /// Casts <paramref name="value"/> to <paramref name="target"/>. On failure returns false with the zero value of the
    /// target and a message for the Cast error.
    /// </summary>
    public static bool TryCast(CesqlValue value, CesqlType target, out CesqlValue result, out string failure)
    {
        failure = "";
        if (value.Type == target)
        {
            result = value;
            return true;
        }

        switch (target)
        {
            case CesqlType.String:
                result = CesqlValue.FromString(value.ToString());
                return true;
            case CesqlType.Integer when value.Type == CesqlType.Boolean:
                result = value.AsBoolean ? 1 : 0;
                return true;
            case CesqlType.Integer:
                // Optional sign and ASCII digits only: no spaces, no thousands separators, no hex; overflow fails.
                if (int.TryParse(value.AsString, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number))
                {
                    result = number;
                    return true;
                }

                break;
            case CesqlType.Boolean when value.Type == CesqlType.Integer:
                result = value.AsInteger != 0;
                return true;
            default:
                // Case-insensitive, but only "true" and "false": "yes", "1" or " true" are Cast errors.
                switch (value.AsString.ToLowerInvariant())
                {
                    case "true":
                        result = CesqlValue.True;
                        return true;
                    case "false":
                        result = CesqlValue.False;
                        return true;
                }

                break;
        }

        result = CesqlValue.ZeroOf(target);
        failure = $"cannot cast {value.Type} '{value}' to {target}";
        return false;
    }
}
