namespace Knative.Orleans.Grains.Eventing.Filters.Cesql;

/// <summary>
/// The built-in functions (spec 3.5 plus the INT, BOOL and STRING casts). Overloads differ by arity only; a fixed
/// arity wins over a variadic overload. Strings are counted in code points (<see cref="CesqlText"/>).
/// </summary>
internal static class CesqlFunctions
{
    private const CesqlType S = CesqlType.String;
    private const CesqlType I = CesqlType.Integer;

    private static readonly Dictionary<string, CesqlFunction[]> ByName = new CesqlFunction[]
    {
        new("LENGTH", [S], false, I, a => Ok(CesqlText.Length(a[0].AsString))),
        new("CONCAT", [], true, S, a => Ok(string.Concat(a.Select(v => v.AsString)))),
        new("CONCAT_WS", [S], true, S, a => Ok(string.Join(a[0].AsString, a.Skip(1).Select(v => v.AsString)))),
        new("LOWER", [S], false, S, a => Ok(a[0].AsString.ToLowerInvariant())),
        new("UPPER", [S], false, S, a => Ok(a[0].AsString.ToUpperInvariant())),
        new("TRIM", [S], false, S, a => Ok(a[0].AsString.Trim())),
        new("LEFT", [S, I], false, S, a => Left(a[0].AsString, a[1].AsInteger)),
        new("RIGHT", [S, I], false, S, a => Right(a[0].AsString, a[1].AsInteger)),
        new("SUBSTRING", [S, I], false, S, a => Substring(a[0].AsString, a[1].AsInteger, null)),
        new("SUBSTRING", [S, I, I], false, S, a => Substring(a[0].AsString, a[1].AsInteger, a[2].AsInteger)),
        new("ABS", [I], false, I, a => Abs(a[0].AsInteger)),
        new("INT", [null], false, I, a => Cast("INT", a[0], CesqlType.Integer)),
        new("BOOL", [null], false, CesqlType.Boolean, a => Cast("BOOL", a[0], CesqlType.Boolean)),
        new("STRING", [null], false, S, a => Cast("STRING", a[0], CesqlType.String)),
    }.GroupBy(f => f.Name).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    /// <summary>Finds the overload for an upper-case name and an argument count.</summary>
    public static bool TryResolve(string name, int arity, out CesqlFunction function)
    {
        CesqlFunction[] overloads = ByName.GetValueOrDefault(name, []);
        function = overloads.FirstOrDefault(f => !f.IsVariadic && f.Accepts(arity))
            ?? overloads.FirstOrDefault(f => f.Accepts(arity))!;
        return function is not null;
    }

    private static CesqlFunctionResult Ok(CesqlValue value) => CesqlFunctionResult.Ok(value);

    private static CesqlFunctionResult Left(string s, int n)
    {
        if (n < 0)
        {
            return CesqlFunctionResult.Fail(s, CesqlErrorKind.FunctionEvaluation, $"LEFT length {n} is negative");
        }

        return Ok(n >= CesqlText.Length(s) ? s : CesqlText.Slice(s, 0, n));
    }

    private static CesqlFunctionResult Right(string s, int n)
    {
        if (n < 0)
        {
            return CesqlFunctionResult.Fail(s, CesqlErrorKind.FunctionEvaluation, $"RIGHT length {n} is negative");
        }

        int length = CesqlText.Length(s);
        return Ok(n >= length ? s : CesqlText.Slice(s, length - n, n));
    }

    /// <summary>
    /// 1-based <paramref name="pos"/>; negative counts from the end (-1 = last character); 0 gives "". Errors (checked
    /// before the pos = 0 rule) give "": |pos| greater than the length, or a negative <paramref name="len"/>.
    /// </summary>
    private static CesqlFunctionResult Substring(string s, int pos, int? len)
    {
        int length = CesqlText.Length(s);
        if (len < 0)
        {
            return CesqlFunctionResult.Fail("", CesqlErrorKind.FunctionEvaluation, $"SUBSTRING length {len} is negative");
        }

        if (pos > length || pos < -length)
        {
            return CesqlFunctionResult.Fail("", CesqlErrorKind.FunctionEvaluation,
                $"SUBSTRING position {pos} is outside a string of length {length}");
        }

        if (pos == 0)
        {
            return Ok("");
        }

        int start = pos > 0 ? pos - 1 : length + pos;
        int count = Math.Min(len ?? int.MaxValue, length - start);
        return Ok(CesqlText.Slice(s, start, count));
    }

    private static CesqlFunctionResult Abs(int x) => x == int.MinValue
        ? CesqlFunctionResult.Fail(int.MaxValue, CesqlErrorKind.Math, "ABS(-2147483648) overflows Integer; the result is 2147483647")
        : Ok(Math.Abs(x));

    private static CesqlFunctionResult Cast(string name, CesqlValue value, CesqlType target) =>
        CesqlCasts.TryCast(value, target, out CesqlValue result, out string failure)
            ? Ok(result)
            : CesqlFunctionResult.Fail(result, CesqlErrorKind.Cast, $"{name}: {failure}");
}
