using System.Diagnostics;
using Knative.Orleans.Grains.Eventing.Filters.Cesql;

namespace Knative.Orleans.Grains.Tests.Eventing.Cesql;

public sealed class CesqlLikeTests
{
    [Theory]
    [InlineData("'' LIKE ''", true)]
    [InlineData("'' LIKE '%'", true)]
    [InlineData("'a' LIKE ''", false)]
    [InlineData("'abc' LIKE '%%%'", true)]
    [InlineData("'ab' LIKE '_'", false)]
    [InlineData("'' LIKE '_'", false)]
    [InlineData("'😀' LIKE '_'", true)] // one code point
    [InlineData("'ABC' LIKE 'abc'", false)] // case-sensitive
    [InlineData("'aaa' LIKE '%a%a%a%'", true)]
    [InlineData("'aa' LIKE '%a%a%a%'", false)]
    [InlineData("'mississippi' LIKE '%iss%ppi'", true)]
    [InlineData("'mississippi' LIKE 'm%iss_'", false)]
    [InlineData("'line\nbreak' LIKE 'line_break'", true)]
    [InlineData(@"'a\b' LIKE 'a\b'", true)] // a backslash before anything but % or _ is literal
    [InlineData(@"'a%' LIKE 'a\%'", true)]
    [InlineData(@"'ab' LIKE 'a\%'", false)]
    [InlineData(@"'a_' LIKE 'a\_'", true)]
    [InlineData(@"'ab' LIKE 'a\_'", false)]
    [InlineData(@"'a\%' LIKE 'a\\%'", true)] // \ then \% : a literal backslash and a literal %
    [InlineData(@"'a\xyz' LIKE 'a\\%'", false)]
    [InlineData("'.*+?' LIKE '.*+?'", true)] // no regular expression semantics
    [InlineData("'x' LIKE '.'", false)]
    [InlineData("'abc' NOT LIKE 'a_c'", false)]
    [InlineData("10 LIKE '1_'", true)]
    [InlineData("myint LIKE '1%'", true)]
    [InlineData("mybool NOT LIKE 'f%'", true)]
    public void Matches_whole_strings(string expression, bool expected)
    {
        CesqlCheck.Evaluates(expression, expected, null);
    }

    [Fact]
    public void Pathological_patterns_stay_linear_enough()
    {
        string text = new('a', 5_000);
        var expression = CesqlExpression.Parse($"'{text}' LIKE '%a%a%a%a%a%a%a%a%b'");

        var watch = Stopwatch.StartNew();
        Assert.False(expression.Matches(CesqlCheck.Event));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }
}
