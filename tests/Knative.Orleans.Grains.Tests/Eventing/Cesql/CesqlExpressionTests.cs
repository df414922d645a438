using Knative.Orleans.Grains.Eventing.Filters.Cesql;

namespace Knative.Orleans.Grains.Tests.Eventing.Cesql;

/// <summary>The public entry point, the trigger-filter rule and the event abstraction.</summary>
public sealed class CesqlExpressionTests
{
    [Theory]
    [InlineData("mybool", true)]
    [InlineData("type LIKE 'com.example.%' AND EXISTS time", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", false)] // not a Boolean
    [InlineData("'true'", false)] // a String, even if it reads true
    [InlineData("FALSE", false)]
    [InlineData("NOT missing", false)] // error => fail-fast
    [InlineData("LEFT('abc', -1) = 'abc' OR TRUE", false)] // the error wins over the true value
    [InlineData("EXISTS missing OR TRUE", true)]
    public void Matches_only_Boolean_true_without_errors(string expression, bool matches)
    {
        Assert.Equal(matches, CesqlExpression.Parse(expression).Matches(CesqlCheck.Event));
    }

    [Fact]
    public void Evaluate_deconstructs_to_value_and_first_error()
    {
        var expression = CesqlExpression.Parse("INT(mystr) + 1");

        var (value, error) = expression.Evaluate(CesqlCheck.Event);

        Assert.Equal(CesqlValue.FromInteger(0), value);
        Assert.Equal(CesqlErrorKind.Cast, error?.Kind);
        Assert.Equal("INT(mystr) + 1", expression.Text);
        Assert.Equal("(INT(mystr) + 1)", expression.Root.ToString());
    }

    [Fact]
    public void One_parsed_expression_is_shared_safely_across_events_and_threads()
    {
        var expression = CesqlExpression.Parse("myint % 3 = 0 AND id LIKE 'e%'");
        var events = Enumerable.Range(0, 1000)
            .Select(i => CesqlCheck.Event with
            {
                Id = i % 2 == 0 ? $"e{i}" : $"o{i}",
                Extensions = new Dictionary<string, CesqlValue> { ["myint"] = i },
            })
            .ToArray();

        bool[] matches = new bool[events.Length];
        Parallel.For(0, events.Length, i => matches[i] = expression.Matches(events[i]));

        Assert.Equal(Enumerable.Range(0, 1000).Select(i => i % 6 == 0), matches);
    }

    [Fact]
    public void Required_attributes_always_exist_and_optional_ones_only_when_set()
    {
        var empty = new CesqlEvent();

        foreach (string name in new[] { "specversion", "id", "source", "type" })
        {
            Assert.True(empty.TryGetAttribute(name, out _), name);
        }

        Assert.True(empty.TryGetAttribute("specversion", out CesqlValue version));
        Assert.Equal(CesqlValue.FromString("1.0"), version);
        Assert.True(empty.TryGetAttribute("id", out CesqlValue id));
        Assert.Equal(CesqlValue.FromString(""), id);
        foreach (string name in new[] { "subject", "dataschema", "datacontenttype", "time", "myext" })
        {
            Assert.False(empty.TryGetAttribute(name, out _), name);
        }

        var full = empty with { Subject = "", DataSchema = "https://s", DataContentType = "application/json", Time = "t" };
        Assert.True(full.TryGetAttribute("subject", out CesqlValue subject));
        Assert.Equal(CesqlValue.FromString(""), subject);
        Assert.True(full.TryGetAttribute("datacontenttype", out CesqlValue contentType));
        Assert.Equal(CesqlValue.FromString("application/json"), contentType);
    }

    [Fact]
    public void Extensions_keep_their_type_and_cannot_shadow_context_attributes()
    {
        var cloudEvent = new CesqlEvent
        {
            Extensions = new Dictionary<string, CesqlValue> { ["count"] = 3, ["flag"] = false, ["subject"] = "shadow" },
        };

        Assert.True(cloudEvent.TryGetAttribute("count", out CesqlValue count));
        Assert.Equal(CesqlType.Integer, count.Type);
        Assert.True(cloudEvent.TryGetAttribute("flag", out CesqlValue flag));
        Assert.Equal(CesqlValue.False, flag);
        Assert.False(cloudEvent.TryGetAttribute("subject", out _));
        Assert.True(CesqlExpression.Parse("COUNT = 3 AND NOT FLAG").Matches(cloudEvent));
    }

    [Fact]
    public void Values_have_a_canonical_string_form_and_typed_accessors()
    {
        Assert.Equal("true", CesqlValue.True.ToString());
        Assert.Equal("-10", CesqlValue.FromInteger(-10).ToString());
        Assert.Equal(CesqlValue.False, default);
        Assert.Equal(CesqlValue.FromString(""), CesqlValue.ZeroOf(CesqlType.String));
        Assert.NotEqual(CesqlValue.FromString("1"), CesqlValue.FromInteger(1));
        Assert.Throws<InvalidOperationException>(() => CesqlValue.FromInteger(1).AsString);
    }
}
