using System.Globalization;

namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>
/// An immutable CESQL value: a Boolean, an Integer (int32) or a String. <c>default</c> is Boolean <c>false</c>.
/// <see cref="ToString"/> is the canonical CloudEvents string form (<c>true</c>, <c>-10</c>, the text itself), which is
/// also the result of the Boolean/Integer → String casts.
/// </summary>
public readonly record struct CesqlValue
{
    private readonly int _integer;
    private readonly bool _boolean;
    private readonly string? _string;

    private CesqlValue(CesqlType type, int integer, bool boolean, string? text)
    {
        Type = type;
        _integer = integer;
        _boolean = boolean;
        _string = text;
    }

    public static CesqlValue True { get; } = FromBoolean(true);

    public static CesqlValue False { get; } = FromBoolean(false);

    /// <summary>The type of the value.</summary>
    public CesqlType Type { get; }

    /// <summary>The Boolean payload; throws when <see cref="Type"/> is not Boolean.</summary>
    public bool AsBoolean => Type == CesqlType.Boolean ? _boolean : throw WrongType(CesqlType.Boolean);

    /// <summary>The Integer payload; throws when <see cref="Type"/> is not Integer.</summary>
    public int AsInteger => Type == CesqlType.Integer ? _integer : throw WrongType(CesqlType.Integer);

    /// <summary>The String payload; throws when <see cref="Type"/> is not String.</summary>
    public string AsString => Type == CesqlType.String ? _string ?? "" : throw WrongType(CesqlType.String);

    public static CesqlValue FromBoolean(bool value) => new(CesqlType.Boolean, 0, value, null);

    public static CesqlValue FromInteger(int value) => new(CesqlType.Integer, value, false, null);

    public static CesqlValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(CesqlType.String, 0, false, value);
    }

    /// <summary>The zero value of a type: <c>false</c>, <c>0</c> or <c>""</c> (what an expression returns on error).</summary>
    public static CesqlValue ZeroOf(CesqlType type) => type switch
    {
        CesqlType.Integer => FromInteger(0),
        CesqlType.String => FromString(""),
        _ => False,
    };

    public static implicit operator CesqlValue(bool value) => FromBoolean(value);

    public static implicit operator CesqlValue(int value) => FromInteger(value);

    public static implicit operator CesqlValue(string value) => FromString(value);

    /// <summary>The canonical string form: <c>true</c>/<c>false</c>, base-10 integer, or the string itself.</summary>
    public override string ToString() => Type switch
    {
        CesqlType.Boolean => _boolean ? "true" : "false",
        CesqlType.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        _ => _string ?? "",
    };

    private InvalidOperationException WrongType(CesqlType wanted) =>
        new($"CESQL value {ToString()} is a {Type}, not a {wanted}.");
}
