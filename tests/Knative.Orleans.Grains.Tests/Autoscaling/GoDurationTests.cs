using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Grains.Tests.Autoscaling;

/// <summary>GoDuration against Go's time.ParseDuration and Duration.String.</summary>
public sealed class GoDurationTests
{
    private const long Ms = 1_000_000;
    private const long S = GoDuration.Second;

    public static TheoryData<string, long> Valid => new()
    {
        { "0", 0 },
        { "+0", 0 },
        { "-0", 0 },
        { "0s", 0 },
        { "1ns", 1 },
        { "1us", 1_000 },
        { "1µs", 1_000 }, // U+00B5 micro sign
        { "1μs", 1_000 }, // U+03BC Greek mu
        { "1.5us", 1_500 },
        { "300ms", 300 * Ms },
        { "-300ms", -300 * Ms },
        { "+5s", 5 * S },
        { "60s", 60 * S },
        { "1.5s", 1_500 * Ms },
        { ".5s", 500 * Ms },
        { "1.s", 1 * S },
        { "1m", 60 * S },
        { "1m30s", 90 * S },
        { "1h", 3_600 * S },
        { "1h0m0s", 3_600 * S },
        { "1h30m", 5_400 * S },
        { "1.5h", 5_400 * S },
        { "2h45m30.5s", (9_930 * S) + (500 * Ms) },
        { "1s500ms", 1_500 * Ms },
        { "-1m30s", -90 * S },
        { "1.0000000001s", S }, // below a nanosecond is truncated
        { "2562047h", 2_562_047L * 3_600 * S },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void TryParse_returns_nanoseconds(string text, long expected)
    {
        Assert.True(GoDuration.TryParse(text, out var ns), text);
        Assert.Equal(expected, ns);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("+")]
    [InlineData("60")] // missing unit
    [InlineData("1d")] // unknown unit
    [InlineData("1S")] // units are case-sensitive
    [InlineData("s")]
    [InlineData(".s")]
    [InlineData("1..5s")]
    [InlineData("1.5.s")]
    [InlineData("1h-5m")]
    [InlineData("1s ")]
    [InlineData(" 1s")]
    [InlineData("1 s")]
    [InlineData("--1s")]
    [InlineData("9999999999h")] // overflows int64 nanoseconds
    [InlineData("99999999999999999999999999999999s")]
    public void TryParse_rejects_malformed_or_out_of_range(string text)
    {
        Assert.False(GoDuration.TryParse(text, out var ns), text);
        Assert.Equal(0, ns);
    }

    public static TheoryData<string?, bool, TimeSpan> TimeSpans => new()
    {
        { "60s", true, TimeSpan.FromSeconds(60) },
        { " 1m30s ", true, TimeSpan.FromSeconds(90) }, // trimmed
        { "1h0m0s", true, TimeSpan.FromHours(1) },
        { "-1m", true, TimeSpan.FromMinutes(-1) },
        { "0", true, TimeSpan.Zero },
        { "150ns", true, TimeSpan.FromTicks(1) }, // 100 ns ticks, truncated
        { "99ns", true, TimeSpan.Zero },
        { "1.5ms", true, TimeSpan.FromTicks(15_000) },
        { null, false, TimeSpan.Zero },
        { "", false, TimeSpan.Zero },
        { "   ", false, TimeSpan.Zero },
        { "60", false, TimeSpan.Zero },
        { "abc", false, TimeSpan.Zero },
    };

    [Theory]
    [MemberData(nameof(TimeSpans))]
    public void TryParseTimeSpan(string? text, bool ok, TimeSpan expected)
    {
        Assert.Equal(ok, GoDuration.TryParseTimeSpan(text, out var value));
        Assert.Equal(expected, value);
    }

    public static TheoryData<TimeSpan, string> Formats => new()
    {
        { TimeSpan.Zero, "0s" },
        { TimeSpan.FromMilliseconds(1), "1ms" },
        { TimeSpan.FromMilliseconds(500), "500ms" },
        { TimeSpan.FromMilliseconds(999), "999ms" },
        { TimeSpan.FromTicks(15_000), "1.5ms" },
        { TimeSpan.FromSeconds(1), "1s" },
        { TimeSpan.FromSeconds(6), "6s" },
        { TimeSpan.FromMilliseconds(1_500), "1.5s" },
        { TimeSpan.FromMilliseconds(6_050), "6.05s" },
        { TimeSpan.FromSeconds(59), "59s" },
        { TimeSpan.FromSeconds(60), "1m0s" },
        { TimeSpan.FromSeconds(90), "1m30s" },
        { TimeSpan.FromMilliseconds(61_250), "1m1.25s" },
        { TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(59), "59m59s" },
        { TimeSpan.FromHours(1), "1h0m0s" },
        { TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1), "1h0m1s" },
        { new TimeSpan(1, 1, 1), "1h1m1s" },
        { TimeSpan.FromHours(25), "25h0m0s" },
        { TimeSpan.FromHours(1_000), "1000h0m0s" },
        { TimeSpan.FromSeconds(-3), "-3s" },
        { TimeSpan.FromSeconds(-90), "-1m30s" },
        { TimeSpan.FromMilliseconds(-500), "-500ms" },
        { TimeSpan.FromHours(-1), "-1h0m0s" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Format_matches_Go_Duration_String(TimeSpan value, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(value));
    }

    [Theory]
    [InlineData("0s")]
    [InlineData("500ms")]
    [InlineData("6s")]
    [InlineData("1m0s")]
    [InlineData("1m30s")]
    [InlineData("1h0m0s")]
    [InlineData("-1m30s")]
    public void Format_round_trips_through_TryParseTimeSpan(string text)
    {
        Assert.True(GoDuration.TryParseTimeSpan(text, out var value));
        Assert.Equal(text, GoDuration.Format(value));
    }
}
