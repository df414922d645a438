using Knative.Orleans.Grains.Eventing.Filters.Cesql;

namespace Knative.Orleans.Grains.Tests.Eventing.Cesql;

/// <summary>Shared event and assertion for the table-driven CESQL tests.</summary>
internal static class CesqlCheck
{
    /// <summary>No subject/dataschema/datacontenttype; typed extensions myint=10, mybool=true, mystr=hello.</summary>
    public static readonly CesqlEvent Event = new()
    {
        Id = "id1",
        Source = "https://example.com/src",
        Type = "com.example.created",
        Time = "2018-04-26T14:48:09+02:00",
        Extensions = new Dictionary<string, CesqlValue>
        {
            ["myint"] = 10,
            ["mybool"] = true,
            ["mystr"] = "hello",
            ["numstr"] = "42",
        },
    };

    /// <summary>
    /// Parses and evaluates <paramref name="expression"/> on <see cref="Event"/>, then checks the value (an int, bool or
    /// string: its CLR type is the expected CESQL type) and the kind of the first error (null = no error at all).
    /// </summary>
    public static CesqlResult Evaluates(string expression, object expected, CesqlErrorKind? error)
    {
        CesqlResult result = CesqlExpression.Parse(expression).Evaluate(Event);
        CesqlValue want = expected switch
        {
            int i => i,
            bool b => b,
            string s => s,
            _ => throw new ArgumentException($"unsupported expected value {expected}", nameof(expected)),
        };
        Assert.Equal((want.Type, want.ToString()), (result.Value.Type, result.Value.ToString()));
        Assert.Equal(error, result.Error?.Kind);
        if (error is null)
        {
            Assert.Empty(result.Errors);
        }

        return result;
    }
}
