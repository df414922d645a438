using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Grains.Tests.Autoscaling;

/// <summary>GoFloat against Go's fmt %v and %f for float64 (used in config-autoscaler messages).</summary>
public sealed class GoFloatTests
{
    public static TheoryData<double, string> V => new()
    {
        { 0, "0" },
        { -0.0, "-0" },
        { 1, "1" },
        { -3, "-3" },
        { 0.5, "0.5" },
        { 1.01, "1.01" },
        { 100, "100" },
        { 211, "211" },
        { 0.0001, "0.0001" }, // exponent -4: still plain
        { 0.00001, "1e-05" }, // exponent -5: exponent form
        { 0.000123, "0.000123" },
        { 0.0000123, "1.23e-05" },
        { 999999, "999999" }, // exponent 5: plain
        { 1_000_000, "1e+06" }, // exponent 6: exponent form
        { 1_234_567, "1.234567e+06" },
        { 608863452348.1149, "6.088634523481149e+11" },
        { 1.5e20, "1.5e+20" },
        { 1e-300, "1e-300" },
        { 0.1 + 0.2, "0.30000000000000004" },
        { 0.5 * 0.01, "0.005" },
        { double.NaN, "NaN" },
        { double.PositiveInfinity, "+Inf" },
        { double.NegativeInfinity, "-Inf" },
    };

    [Theory]
    [MemberData(nameof(V))]
    public void FormatV_matches_Go_percent_v(double value, string expected)
    {
        Assert.Equal(expected, GoFloat.FormatV(value));
    }

    [Theory]
    [InlineData(-2, "-2.000000")]
    [InlineData(-0.5, "-0.500000")]
    [InlineData(0.7, "0.700000")]
    [InlineData(1.5, "1.500000")]
    [InlineData(211, "211.000000")]
    [InlineData(0.0000004, "0.000000")]
    [InlineData(1234567.25, "1234567.250000")]
    public void FormatF_matches_Go_percent_f(double value, string expected)
    {
        Assert.Equal(expected, GoFloat.FormatF(value));
    }
}
